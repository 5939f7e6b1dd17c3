import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from '../roles';

/** What the sign-in and account routes answer (auth.service.ts, psc.service.ts, accounts.service.ts), for the OpenAPI document. */

export class SignedInUser {
  @ApiProperty({ type: String, format: 'uuid', example: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' })
  id: string;

  @ApiProperty({ type: String, example: 'secretariat.chateaudun@demo.cpts.fr' })
  email: string;

  @ApiProperty({ enum: ROLES, example: 'secretary' })
  role: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', example: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', description: 'cabinet (secrétariat, médecin)' })
  practiceId?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'praticien (médecin)' })
  practitionerId?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', example: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f', description: 'CPTS (coordination, médecin, secrétariat)' })
  communityId?: string;

  @ApiProperty({ type: Boolean, example: true, description: 'un second facteur protège le compte' })
  mfa: boolean;
}

/** A session: the access token to send as `Authorization: Bearer <accessToken>`. */
export class SessionResponse {
  @ApiProperty({ type: String, example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxYTJiIn0.c2lnbmF0dXJl', description: 'jeton d’accès (JWT), valable JWT_TTL_SECONDS (8 h par défaut)' })
  accessToken: string;

  @ApiProperty({ type: SignedInUser })
  user: SignedInUser;

  @ApiPropertyOptional({
    type: [String],
    example: ['abcde-fghjk', 'mnpqr-stuvw'],
    description: 'POST /auth/mfa/verify seulement, quand ce code a terminé un enrôlement : les 10 codes de secours, montrés cette fois-ci seulement',
  })
  recoveryCodes?: string[];
}

/** A correct password on an account with a second factor (or that must enrol one). */
export class MfaChallengeResponse {
  @ApiProperty({ enum: ['required', 'enrol'], example: 'required', description: 'required : donner le code TOTP à POST /auth/mfa/verify ; enrol : enrôler d’abord (POST /auth/mfa/enrol)' })
  mfa: string;

  @ApiProperty({ type: String, example: 'q1Zx8y2W3v4U5t6S7r8Q9p0O1n2M3l4K5j6I7h8G9f0', description: 'valable 5 minutes, pour 5 codes' })
  mfaToken: string;
}

export class MfaEnrolmentResponse {
  @ApiProperty({ type: String, example: 'JBSWY3DPEHPK3PXP', description: 'le secret TOTP (base32), à saisir dans l’application si le QR code ne peut être lu' })
  secret: string;

  @ApiProperty({ type: String, example: 'otpauth://totp/CPTS%20SNP:secretariat.chateaudun%40demo.cpts.fr?secret=JBSWY3DPEHPK3PXP&issuer=CPTS%20SNP' })
  otpauthUrl: string;

  @ApiProperty({ type: String, example: 'data:image/png;base64,iVBORw0KGgo…', description: 'le QR code de otpauthUrl (PNG, data URL), dessiné par le serveur' })
  qrCode: string;
}

export class SignInOptionsResponse {
  @ApiProperty({ type: Boolean, example: false, description: 'la connexion par Pro Santé Connect est configurée' })
  psc: boolean;
}

export class UserResponse {
  @ApiProperty({ type: String, format: 'uuid', example: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' })
  id: string;

  @ApiProperty({ type: String, example: 'secretariat.chateaudun@demo.cpts.fr' })
  email: string;

  @ApiProperty({ enum: ROLES, example: 'secretary' })
  role: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', example: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e' })
  practiceId?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid' })
  practitionerId?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', example: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f' })
  communityId?: string;

  @ApiPropertyOptional({ type: String, description: 'RPPS d’un compte de régulation (connexion Pro Santé Connect)' })
  rpps?: string;

  @ApiProperty({ type: Boolean, example: true })
  active: boolean;

  @ApiProperty({ type: Boolean, example: false, description: 'un second facteur est actif' })
  mfa: boolean;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-09-01T08:00:00.000Z' })
  createdAt: string;
}

export class UserListResponse {
  @ApiProperty({ type: [UserResponse], description: 'par rôle puis e-mail ; 5000 au plus' })
  users: UserResponse[];
}

/** A new API key: the key itself is answered this once only. */
export class ApiKeyCreatedResponse {
  @ApiProperty({ type: String, format: 'uuid', example: '4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f7a' })
  id: string;

  @ApiProperty({ type: String, example: 'snp_Qm9uam91ciBsZSBtb25kZSBkZSBsYSBTTlA', description: 'à envoyer en X-Api-Key ; montrée cette fois-ci seulement (seule son empreinte est gardée)' })
  key: string;

  @ApiProperty({ type: String, example: 'Logiciel de régulation SAMU 28' })
  name: string;

  @ApiProperty({ enum: ROLES, example: 'regulator' })
  role: string;

  @ApiPropertyOptional({ type: String, format: 'uuid' })
  practiceId?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid' })
  communityId?: string;
}

export class ApiKeyResponse {
  @ApiProperty({ type: String, format: 'uuid', example: '4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f7a' })
  id: string;

  @ApiProperty({ type: String, example: 'Logiciel de régulation SAMU 28' })
  name: string;

  @ApiProperty({ enum: ROLES, example: 'regulator' })
  role: string;

  @ApiPropertyOptional({ type: String, format: 'uuid' })
  practiceId?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid' })
  communityId?: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-09-01T08:00:00.000Z' })
  createdAt: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'révoquée depuis' })
  revokedAt?: string;
}

export class ApiKeyListResponse {
  @ApiProperty({ type: [ApiKeyResponse], description: 'les plus récentes d’abord ; 1000 au plus' })
  apiKeys: ApiKeyResponse[];
}

/** Examples of the main answers. */
export const SESSION_EXAMPLE = {
  accessToken: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxYTJiIn0.c2lnbmF0dXJl',
  user: {
    id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    email: 'secretariat.chateaudun@demo.cpts.fr',
    role: 'secretary',
    practiceId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
    communityId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
    mfa: false,
  },
};

export const SIGN_IN_EXAMPLES = {
  session: { summary: 'Compte sans second facteur : la session', value: SESSION_EXAMPLE },
  mfaRequired: { summary: 'Second facteur actif : donner le code à POST /auth/mfa/verify', value: { mfa: 'required', mfaToken: 'q1Zx8y2W3v4U5t6S7r8Q9p0O1n2M3l4K5j6I7h8G9f0' } },
  mfaEnrol: { summary: 'Second facteur exigé (MFA_REQUIRED) mais pas encore enrôlé : POST /auth/mfa/enrol', value: { mfa: 'enrol', mfaToken: 'q1Zx8y2W3v4U5t6S7r8Q9p0O1n2M3l4K5j6I7h8G9f0' } },
};
