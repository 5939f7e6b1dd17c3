import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ClientAddress, CurrentPrincipal, OptionalAuth, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginDto, MfaEnrolDto, MfaVerifyDto } from './dto/auth.dto';
import { Principal } from './roles';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Se connecter : un jeton (Bearer), ou {mfa: "required"|"enrol", mfaToken} quand un second facteur est attendu' })
  login(@Body() dto: LoginDto, @ClientAddress() ip: string) {
    return this.auth.login(dto.email, dto.password, ip);
  }

  @OptionalAuth()
  @Post('mfa/enrol')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Second facteur : un secret TOTP à enregistrer dans l’application (QR code dessiné ici), avec le mfaToken de la connexion ou connecté' })
  enrol(@Body() dto: MfaEnrolDto, @CurrentPrincipal() p?: Principal) {
    return this.auth.enrolMfa(dto.mfaToken, p);
  }

  @OptionalAuth()
  @Post('mfa/verify')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Second facteur : le code TOTP (ou un code de secours, valable une fois) → le jeton ; les 10 codes de secours sont donnés une fois, à la fin de l’enrôlement' })
  verify(@Body() dto: MfaVerifyDto, @ClientAddress() ip: string, @CurrentPrincipal() p?: Principal) {
    return this.auth.verifyMfa(dto.mfaToken, dto.code, p, ip);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth() @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Se déconnecter : ce jeton est refusé dès maintenant' })
  async logout(@CurrentPrincipal() p: Principal) {
    await this.auth.logout(p);
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Changer son mot de passe : tous les jetons du compte sont refusés dès maintenant' })
  async changePassword(@CurrentPrincipal() p: Principal, @Body() dto: ChangePasswordDto) {
    await this.auth.changePassword(p, dto.currentPassword, dto.newPassword);
  }
}
