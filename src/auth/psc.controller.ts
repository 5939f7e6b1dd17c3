import { Body, Controller, Get, HttpCode, Post, Query, Redirect } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientAddress, Public } from './auth.decorators';
import { PscExchangeDto } from './dto/auth.dto';
import { PscService } from './psc.service';

@ApiTags('auth')
@Controller('auth')
export class PscController {
  constructor(private readonly psc: PscService) {}

  @Public()
  @Get('options')
  @ApiOperation({ summary: 'Les façons de se connecter que ce déploiement propose (la page web montre le bouton Pro Santé Connect s’il est configuré)' })
  options() {
    return { psc: this.psc.enabled };
  }

  @Public()
  @Get('psc/login')
  @Redirect()
  @ApiOperation({ summary: 'Se connecter avec Pro Santé Connect : 302 vers PSC (scope openid scope_all, acr_values eidas1, state, nonce, PKCE)' })
  async login() {
    return { url: await this.psc.start(), statusCode: 302 };
  }

  @Public()
  @Get('psc/callback')
  @Redirect()
  @ApiOperation({ summary: 'Retour de Pro Santé Connect : 302 vers la page avec ?signin=<code à usage unique> ou ?signin_error=<raison>' })
  async callback(@Query() query: Record<string, string>) {
    return { url: await this.psc.callback(query), statusCode: 302 };
  }

  @Public()
  @Post('psc/exchange')
  @HttpCode(200)
  @ApiOperation({ summary: 'Échange le code reçu au retour de Pro Santé Connect (60 s, une fois) contre un jeton ; PSC vaut second facteur' })
  exchange(@Body() dto: PscExchangeDto, @ClientAddress() ip: string) {
    return this.psc.exchange(dto.code, ip);
  }
}
