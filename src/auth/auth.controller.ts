import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ClientAddress, CurrentPrincipal, OptionalAuth, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginDto, MfaEnrolDto, MfaVerifyDto } from './dto/auth.dto';
import { Principal } from './roles';
import { ApiErrors } from '../errors/error-response';
import { MfaChallengeResponse, MfaEnrolmentResponse, SESSION_EXAMPLE, SessionResponse, SIGN_IN_EXAMPLES } from './dto/auth.responses';

/** 429 of every step that checks a password or a code. */
const SIGN_IN_LIMITS = {
  status: 429 as const,
  description:
    '`rate_limited` : trop de tentatives depuis cette adresse (LOGIN_RATE_LIMIT par minute, 20 par défaut) ; `account_locked` : compte verrouillé après ACCOUNT_LOCKOUT_ATTEMPTS échecs (10), pour ACCOUNT_LOCKOUT_MINUTES (15), même avec le bon mot de passe ; `retryAfterSeconds` et l’en-tête Retry-After disent combien attendre',
  examples: {
    rateLimited: {
      summary: 'Trop de tentatives depuis ce poste',
      value: { statusCode: 429, error: 'rate_limited', message: 'Trop de tentatives de connexion depuis ce poste : patientez une minute.', retryAfterSeconds: 60 },
    },
    accountLocked: {
      summary: 'Compte verrouillé',
      value: {
        statusCode: 429,
        error: 'account_locked',
        message: 'Compte verrouillé après 10 essais infructueux : réessayez dans 15 minutes, ou demandez à la coordination.',
        retryAfterSeconds: 900,
      },
    },
  },
};

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Se connecter : un jeton (Bearer), ou {mfa: "required"|"enrol", mfaToken} quand un second facteur est attendu' })
  @ApiExtraModels(SessionResponse, MfaChallengeResponse)
  @ApiOkResponse({
    description: 'La session, ou l’étape du second facteur à franchir',
    schema: { oneOf: [{ $ref: getSchemaPath(SessionResponse) }, { $ref: getSchemaPath(MfaChallengeResponse) }] },
    examples: SIGN_IN_EXAMPLES,
  })
  @ApiErrors(
    400,
    {
      status: 401,
      description: '`unauthorized` : e-mail ou mot de passe incorrect (le même message dans les deux cas), compte désactivé',
      examples: { wrongPassword: { summary: 'Mauvais identifiants', value: { statusCode: 401, error: 'unauthorized', message: 'E-mail ou mot de passe incorrect' } } },
    },
    SIGN_IN_LIMITS,
  )
  login(@Body() dto: LoginDto, @ClientAddress() ip: string) {
    return this.auth.login(dto.email, dto.password, ip);
  }

  @OptionalAuth()
  @Post('mfa/enrol')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Second facteur : un secret TOTP à enregistrer dans l’application (QR code dessiné ici), avec le mfaToken de la connexion ou connecté' })
  @ApiOkResponse({ type: MfaEnrolmentResponse, description: 'Le secret à confirmer par un premier code (POST /auth/mfa/verify) ; en enrôler un autre remplace celui qui n’est pas encore confirmé' })
  @ApiErrors(
    400,
    { status: 401, description: '`unauthorized` : ni mfaToken ni session d’un compte (une clé d’API n’a pas de second facteur), mfaToken expiré ou épuisé, jeton invalide' },
    { status: 409, description: '`mfa_already_enrolled` : un second facteur est déjà actif (un administrateur peut le réinitialiser)' },
  )
  enrol(@Body() dto: MfaEnrolDto, @CurrentPrincipal() p?: Principal) {
    return this.auth.enrolMfa(dto.mfaToken, p);
  }

  @OptionalAuth()
  @Post('mfa/verify')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Second facteur : le code TOTP (ou un code de secours, valable une fois) → le jeton ; les 10 codes de secours sont donnés une fois, à la fin de l’enrôlement' })
  @ApiOkResponse({ type: SessionResponse, description: 'La session ; `recoveryCodes` quand ce code a confirmé un enrôlement', example: SESSION_EXAMPLE })
  @ApiErrors(
    400,
    { status: 401, description: '`unauthorized` : code incorrect ou déjà utilisé, mfaToken expiré ou après 5 essais, ni mfaToken ni session d’un compte, compte désactivé' },
    { status: 422, description: '`mfa_not_enrolled` : aucun second facteur en cours d’enrôlement (commencer par POST /auth/mfa/enrol)' },
    SIGN_IN_LIMITS,
  )
  verify(@Body() dto: MfaVerifyDto, @ClientAddress() ip: string, @CurrentPrincipal() p?: Principal) {
    return this.auth.verifyMfa(dto.mfaToken, dto.code, p, ip);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth() @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Se déconnecter : ce jeton est refusé dès maintenant' })
  @ApiNoContentResponse({ description: 'Déconnecté (avec une clé d’API : rien à faire, 204 aussi)' })
  @ApiErrors(401)
  async logout(@CurrentPrincipal() p: Principal) {
    await this.auth.logout(p);
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Changer son mot de passe : tous les jetons du compte sont refusés dès maintenant' })
  @ApiNoContentResponse({ description: 'Changé : reconnectez-vous' })
  @ApiErrors(
    { status: 400, description: '`validation_failed` : corps invalide, nouveau mot de passe de moins de 10 caractères' },
    { status: 401, description: '`unauthorized` : pas de session, ou mot de passe actuel incorrect' },
    { status: 403, description: '`forbidden` : une clé d’API n’a pas de mot de passe' },
    { status: 409, description: '`password_unchanged` : le nouveau mot de passe est l’ancien' },
    SIGN_IN_LIMITS,
  )
  async changePassword(@CurrentPrincipal() p: Principal, @Body() dto: ChangePasswordDto) {
    await this.auth.changePassword(p, dto.currentPassword, dto.newPassword);
  }
}
