import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../api-prefix';
import { ClientAddress, Public } from './auth.decorators';
import { PscExchangeDto } from './dto/auth.dto';
import { PscService } from './psc.service';
import { ApiErrors } from '../errors/error-response';
import { SESSION_EXAMPLE, SessionResponse, SignInOptionsResponse } from './dto/auth.responses';

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
  @ApiOkResponse({ type: SignInOptionsResponse })
  options() {
    return { psc: this.psc.enabled };
  }

  @Public()
  @Get('psc/login')
  @ApiOperation({ summary: 'Se connecter avec Pro Santé Connect : 302 vers PSC (scope openid scope_all, acr_values eidas1, state, nonce, PKCE), le state gardé dans un cookie du navigateur' })
  @ApiFoundResponse({
    description: 'Vers Pro Santé Connect (cookie `snp_psc` du state, HttpOnly, 10 minutes) ; vers la page avec `?signin_error=psc_unavailable` quand PSC n’est pas configuré ou ne répond pas',
    headers: { Location: { description: 'où aller', schema: { type: 'string' } } },
  })
  async login(@Res() reply: FastifyReply) {
    const { url, browserState } = await this.psc.start();
    if (browserState) this.cookie(reply, browserState, 600);
    return reply.redirect(url, 302);
  }

  @Public()
  @Get('psc/callback')
  @ApiOperation({ summary: 'Retour de Pro Santé Connect : 302 vers la page avec ?signin=<code à usage unique> ou ?signin_error=<raison>' })
  @ApiQuery({ name: 'code', type: String, required: false, description: 'le code d’autorisation de PSC' })
  @ApiQuery({ name: 'state', type: String, required: false, description: 'le state donné au départ' })
  @ApiQuery({ name: 'error', type: String, required: false, description: 'le refus de PSC' })
  @ApiFoundResponse({
    description:
      'Toujours une redirection, jamais une erreur : vers `PUBLIC_URL/?signin=<code>` (code à usage unique, 60 s, aussi dans le cookie `snp_psc`) ou `PUBLIC_URL/?signin_error=<raison>` : unknown_person, account_disabled, ambiguous_person, bad_state, psc_error, psc_refused, psc_unavailable',
    headers: { Location: { description: 'la page, avec signin ou signin_error', schema: { type: 'string' } } },
  })
  async callback(@Query() query: Record<string, string>, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { url, code } = await this.psc.callback(query, cookieOf(req));
    this.cookie(reply, code, 60);
    return reply.redirect(url, 302);
  }

  @Public()
  @Post('psc/exchange')
  @HttpCode(200)
  @ApiOperation({ summary: 'Échange le code reçu au retour de Pro Santé Connect (60 s, une fois, par le même navigateur) contre un jeton ; PSC vaut second facteur' })
  @ApiOkResponse({ type: SessionResponse, example: SESSION_EXAMPLE })
  @ApiErrors(400, { status: 401, description: '`unauthorized` : code expiré ou déjà utilisé, donné à un autre navigateur (cookie), compte désactivé' })
  async exchange(@Body() dto: PscExchangeDto, @ClientAddress() ip: string, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const session = await this.psc.exchange(dto.code, cookieOf(req), ip);
    this.cookie(reply, undefined, 0);
    return session;
  }
}
