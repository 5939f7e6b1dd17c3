import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../api-prefix';
import { ClientAddress, Public } from './auth.decorators';
import { PscExchangeDto } from './dto/auth.dto';
import { PscService } from './psc.service';

/** The cookie binding a Pro Santé Connect sign-in to the browser that started it (the state, then the one-time code). */
const COOKIE = 'snp_psc';
const COOKIE_PATH = `/${API_PREFIX}/auth/psc`;

function cookieOf(req: FastifyRequest): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

@ApiTags('auth')
@Controller('auth')
export class PscController {
  constructor(private readonly psc: PscService) {}

  /** Sets (or, with no value, clears) the sign-in's cookie: HttpOnly, SameSite=Lax (it comes back on PSC's redirect), on the PSC routes only. */
  private cookie(reply: FastifyReply, value: string | undefined, seconds: number): void {
    const attributes = [`Path=${COOKIE_PATH}`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${value ? seconds : 0}`, ...(this.psc.secureCookies ? ['Secure'] : [])];
    reply.header('set-cookie', `${COOKIE}=${value ? encodeURIComponent(value) : ''}; ${attributes.join('; ')}`);
  }

  @Public()
  @Get('options')
  @ApiOperation({ summary: 'Les façons de se connecter que ce déploiement propose (la page web montre le bouton Pro Santé Connect s’il est configuré)' })
  options() {
    return { psc: this.psc.enabled };
  }

  @Public()
  @Get('psc/login')
  @ApiOperation({ summary: 'Se connecter avec Pro Santé Connect : 302 vers PSC (scope openid scope_all, acr_values eidas1, state, nonce, PKCE), le state gardé dans un cookie du navigateur' })
  async login(@Res() reply: FastifyReply) {
    const { url, browserState } = await this.psc.start();
    if (browserState) this.cookie(reply, browserState, 600);
    return reply.redirect(url, 302);
  }

  @Public()
  @Get('psc/callback')
  @ApiOperation({ summary: 'Retour de Pro Santé Connect : 302 vers la page avec ?signin=<code à usage unique> ou ?signin_error=<raison>' })
  async callback(@Query() query: Record<string, string>, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { url, code } = await this.psc.callback(query, cookieOf(req));
    this.cookie(reply, code, 60);
    return reply.redirect(url, 302);
  }

  @Public()
  @Post('psc/exchange')
  @HttpCode(200)
  @ApiOperation({ summary: 'Échange le code reçu au retour de Pro Santé Connect (60 s, une fois, par le même navigateur) contre un jeton ; PSC vaut second facteur' })
  async exchange(@Body() dto: PscExchangeDto, @ClientAddress() ip: string, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const session = await this.psc.exchange(dto.code, cookieOf(req), ip);
    this.cookie(reply, undefined, 0);
    return session;
  }
}
