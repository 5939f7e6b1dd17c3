import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsObject, IsOptional, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsInseeCode, IsInstant, IsPhone, IsRpps, IsText } from '../../validation/decorators';

export class PatientDto {
  @ApiProperty({ example: 'Léa' }) @IsText(100)
  firstName: string;

  @ApiProperty({ example: 'Martin' }) @IsText(100)
  lastName: string;

  @ApiProperty({ example: '2026-03-14' }) @IsCalendarDate()
  birthDate: string;

  @ApiProperty({ example: '06 12 34 56 78', description: 'répondu en E.164' }) @IsPhone()
  phone: string;

  @ApiPropertyOptional() @IsOptional() @IsEmail({}, { message: 'email doit être une adresse e-mail valide' }) @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '28088' }) @IsOptional() @IsInseeCode()
  communeCode?: string;

  @ApiPropertyOptional({ description: 'le patient a-t-il un médecin traitant ?' }) @IsOptional() @IsBoolean({ message: 'hasReferringGp doit être true ou false' })
  hasReferringGp?: boolean;

  @ApiPropertyOptional({ example: '10003456789', description: 'RPPS du médecin traitant du patient, s’il est connu (11 chiffres, clé de contrôle) : la majoration SNP n’est pas due à son propre médecin traitant' })
  @IsOptional() @IsRpps({ message: 'referringGpRpps doit être un numéro RPPS de 11 chiffres avec sa clé de contrôle' })
  referringGpRpps?: string;
}

export class CreateBookingDto {
  @ApiProperty() @IsUUID('all', { message: 'slotId doit être un identifiant (uuid)' })
  slotId: string;

  @ApiPropertyOptional({ description: 'jeton reçu de POST /slots/:id/hold' }) @IsOptional() @IsUUID('all', { message: 'holdToken doit être le jeton reçu lors de la mise en attente' })
  holdToken?: string;

  @ApiProperty({ type: PatientDto })
  @IsObject({ message: 'patient doit être un objet {firstName, lastName, birthDate, phone, …}' })
  @ValidateNested()
  @Type(() => PatientDto)
  patient: PatientDto;

  @ApiPropertyOptional({ description: 'motif (jamais envoyé par SMS)' }) @IsOptional() @IsText(500)
  reason?: string;

  @ApiPropertyOptional({ enum: ['sas'], description: 'sas : la régulation vient du lien d’un créneau sur la plateforme SAS (le rendez-vous est alors transmis au SAS)' })
  @IsOptional() @IsIn(['sas'], { message: 'origin ne peut valoir que sas' })
  origin?: 'sas';
}

export class CancelBookingDto {
  @ApiPropertyOptional() @IsOptional() @IsText(500)
  reason?: string;
}

export class OutcomeDto {
  @ApiProperty({ enum: ['attended', 'no_show'] }) @IsIn(['attended', 'no_show'], { message: 'outcome doit être attended ou no_show' })
  outcome: 'attended' | 'no_show';
}

export class ListBookingsQuery {
  @ApiPropertyOptional({ description: 'début du créneau ≥ from (défaut : début de la journée)' }) @IsOptional() @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'début du créneau < to (défaut : from + 2 jours)' }) @IsOptional() @IsInstant()
  to?: string;
}
