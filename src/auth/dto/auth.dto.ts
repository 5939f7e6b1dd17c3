import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IsRpps, IsText } from '../../validation/decorators';
import { Role, ROLES } from '../roles';

export class LoginDto {
  @ApiProperty({ example: 'secretariat.chateaudun@demo.cpts.fr' })
  @IsEmail({}, { message: 'email doit être une adresse e-mail valide' })
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString({ message: 'password doit être du texte' })
  @MaxLength(200)
  password: string;
}

export class MfaEnrolDto {
  @ApiPropertyOptional({ description: 'reçu de POST /auth/login ({mfa: "enrol", mfaToken}) ; absent pour un compte déjà connecté' })
  @IsOptional() @IsString() @MaxLength(100)
  mfaToken?: string;
}

export class MfaVerifyDto {
  @ApiPropertyOptional({ description: 'reçu de POST /auth/login ; absent pour un compte déjà connecté qui confirme son enrôlement' })
  @IsOptional() @IsString() @MaxLength(100)
  mfaToken?: string;

  @ApiProperty({ example: '123456', description: 'le code à 6 chiffres de l’application, ou un code de secours (abcde-fghjk)' })
  @IsString({ message: 'code doit être du texte' })
  @Matches(/^[\sA-Za-z0-9-]{6,20}$/, { message: 'code : les 6 chiffres affichés par l’application, ou un code de secours' })
  code: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MaxLength(200)
  currentPassword: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @MinLength(10, { message: 'newPassword doit faire au moins 10 caractères' })
  @MaxLength(200)
  newPassword: string;
}

export class PscExchangeDto {
  @ApiProperty({ description: 'le code reçu dans ?signin= au retour de Pro Santé Connect (60 s, une fois)' })
  @IsString() @MaxLength(100)
  code: string;
}

export class CreateUserDto {
  @ApiProperty() @IsEmail({}, { message: 'email doit être une adresse e-mail valide' }) @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @MinLength(10, { message: 'password doit faire au moins 10 caractères' })
  @MaxLength(200)
  password: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role doit être l'un de : ${ROLES.join(', ')}` })
  role: Role;

  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'practiceId doit être un identifiant (uuid)' })
  practiceId?: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'practitionerId doit être un identifiant (uuid)' })
  practitionerId?: string;

  @ApiPropertyOptional({ description: 'la CPTS d’un compte de coordination' }) @IsOptional() @IsUUID('all', { message: 'communityId doit être un identifiant (uuid)' })
  communityId?: string;

  @ApiPropertyOptional({ description: 'RPPS de la personne (régulateur) : sa connexion par Pro Santé Connect ; un médecin est reconnu par son praticien' })
  @IsOptional() @IsRpps()
  rpps?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ description: 'false : plus de connexion, et ses jetons refusés aussitôt' }) @IsOptional() @IsBoolean({ message: 'active doit être true ou false' })
  active?: boolean;

  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES, { message: `role doit être l'un de : ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID('all', { message: 'practiceId doit être un identifiant (uuid)' })
  practiceId?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID('all', { message: 'practitionerId doit être un identifiant (uuid)' })
  practitionerId?: string | null;

  @ApiPropertyOptional({ description: 'la CPTS d’un compte de coordination (administrateurs)' })
  @IsOptional() @IsUUID('all', { message: 'communityId doit être un identifiant (uuid)' })
  communityId?: string;

  @ApiPropertyOptional({ description: 'un nouveau mot de passe (administrateurs : par exemple pour un régulateur créé par le SAS, dont le mot de passe est tiré au hasard) ; ses sessions se terminent' })
  @IsOptional() @IsString({ message: 'password doit être du texte' }) @MinLength(10, { message: 'password doit faire au moins 10 caractères' }) @MaxLength(200)
  password?: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Logiciel de régulation SAMU 28' }) @IsText(120)
  name: string;

  @ApiProperty({ enum: ROLES }) @IsIn(ROLES, { message: `role doit être l'un de : ${ROLES.join(', ')}` })
  role: Role;

  @ApiPropertyOptional({ description: 'le cabinet d’une clé secretary' }) @IsOptional() @IsUUID('all', { message: 'practiceId doit être un identifiant (uuid)' })
  practiceId?: string;

  @ApiPropertyOptional({ description: 'la CPTS d’une clé coordinator' }) @IsOptional() @IsUUID('all', { message: 'communityId doit être un identifiant (uuid)' })
  communityId?: string;
}

/** `GET /users`: the accounts, optionally of one role or one practice. */
export class ListUsersQuery {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES, { message: `role doit être l'un de : ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'practiceId doit être un identifiant (uuid)' })
  practiceId?: string;
}
