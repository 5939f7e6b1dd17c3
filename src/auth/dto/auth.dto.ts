import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { IsText } from '../../validation/decorators';
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

  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'communityId doit être un identifiant (uuid)' })
  communityId?: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Logiciel de régulation SAMU 28' }) @IsText(120)
  name: string;

  @ApiProperty({ enum: ROLES }) @IsIn(ROLES, { message: `role doit être l'un de : ${ROLES.join(', ')}` })
  role: Role;

  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'practiceId doit être un identifiant (uuid)' })
  practiceId?: string;
}

/** `GET /users`: the accounts, optionally of one role or one practice. */
export class ListUsersQuery {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES, { message: `role doit être l'un de : ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'practiceId doit être un identifiant (uuid)' })
  practiceId?: string;
}
