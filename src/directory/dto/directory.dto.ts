import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsLatitude, IsLongitude, IsNumber, IsObject, IsOptional, IsUUID, Matches, Max, Min, ValidateNested,
} from 'class-validator';
import { MODALITIES, Modality } from '../../slots/slot-rules';
import { IsFiness, IsInseeCode, IsPhone, IsPostcode, IsRpps, IsText } from '../../validation/decorators';
import { Profession, PROFESSIONS } from '../professions';

export class LocationDto {
  @ApiProperty({ example: 48.0708 })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lat doit être un nombre' })
  @IsLatitude({ message: 'lat doit être une latitude entre -90 et 90' })
  lat: number;

  @ApiProperty({ example: 1.3378 })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lon doit être un nombre' })
  @IsLongitude({ message: 'lon doit être une longitude entre -180 et 180' })
  lon: number;
}

export class CreateCommunityDto {
  @ApiProperty({ example: 'CPTS du Dunois' }) @IsText(200)
  name: string;

  @ApiProperty({ example: ['28088', '28051'] })
  @IsArray({ message: 'communeCodes doit être une liste de codes INSEE' })
  @ArrayMinSize(1, { message: 'communeCodes doit contenir au moins une commune' })
  @ArrayMaxSize(2000)
  @ArrayUnique({ message: 'communeCodes contient des doublons' })
  @IsInseeCode(true)
  communeCodes: string[];

  @ApiPropertyOptional({ example: '950047225', description: 'numéro FINESS de la CPTS (9 chiffres, clé de Luhn) : son identité pour la plateforme SAS' })
  @IsOptional() @IsFiness()
  finess?: string;
}

export class UpdateCommunityDto {
  @ApiPropertyOptional({ example: '950047225', description: 'numéro FINESS de la CPTS (9 chiffres, clé de Luhn)' })
  @IsOptional() @IsFiness()
  finess?: string;
}

export class CreatePracticeDto {
  @ApiProperty() @IsUUID('all', { message: 'communityId doit être un identifiant (uuid)' })
  communityId: string;

  @ApiProperty({ example: 'Maison de santé du Dunois' }) @IsText(200)
  name: string;

  @ApiPropertyOptional({ example: 'msp', description: 'msp, cabinet, centre_de_sante…' }) @IsOptional() @IsText(40)
  kind?: string;

  @ApiProperty({ example: '12 rue de la République, 28200 Châteaudun' }) @IsText(300)
  address: string;

  @ApiPropertyOptional({ example: '28200', description: 'absent : celui qui termine l’adresse, sinon le premier de la commune' }) @IsOptional() @IsPostcode()
  postcode?: string;

  @ApiPropertyOptional({ example: 'Châteaudun', description: 'absent : celle qui termine l’adresse, sinon le nom de la commune' }) @IsOptional() @IsText(100)
  city?: string;

  @ApiProperty({ example: '28088' }) @IsInseeCode()
  communeCode: string;

  @ApiProperty({ example: '02 37 45 00 00' }) @IsPhone()
  phone: string;

  @ApiPropertyOptional({ type: LocationDto, description: 'Absent : le centre de la commune' })
  @IsOptional()
  @IsObject({ message: 'location doit être un objet {lat, lon}' })
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;
}

export class CreatePractitionerDto {
  @ApiProperty({ example: '10003456784', description: '11 chiffres, clé de Luhn' }) @IsRpps()
  rpps: string;

  @ApiProperty() @IsText(100) firstName: string;
  @ApiProperty() @IsText(100) lastName: string;

  @ApiProperty({ enum: PROFESSIONS })
  @IsIn(PROFESSIONS, { message: `profession doit être l'une de : ${PROFESSIONS.join(', ')}` })
  profession: Profession;

  @ApiProperty() @IsUUID('all', { message: 'practiceId doit être un identifiant (uuid)' })
  practiceId: string;

  @ApiPropertyOptional({ example: 'SM54', description: 'spécialité ordinale (TRE_R38) ; défaut : SM54 pour un médecin généraliste, SM40 pour un pédiatre' })
  @IsOptional() @Matches(/^SM[0-9]{2}$/, { message: 'specialty doit être un code de spécialité ordinale SMxx (ex. SM54, médecine générale)' })
  specialty?: string;

  @ApiPropertyOptional({ example: 0, description: 'Âge minimum des patients, en mois' })
  @IsOptional()
  @IsInt({ message: 'minPatientAgeMonths doit être un nombre entier de mois' })
  @Min(0) @Max(1500)
  minPatientAgeMonths?: number;

  @ApiPropertyOptional({ enum: MODALITIES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(MODALITIES, { each: true, message: `modalities : valeurs possibles ${MODALITIES.join(', ')}` })
  modalities?: Modality[];
}

export class ListPracticesQuery {
  @ApiPropertyOptional({ description: 'un cabinet (celui du compte connecté, par exemple)' }) @IsOptional() @IsUUID('all', { message: 'id doit être un identifiant (uuid)' })
  id?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'communityId doit être un identifiant (uuid)' })
  communityId?: string;
  @ApiPropertyOptional() @IsOptional() @IsInseeCode()
  communeCode?: string;
}

export class ListPractitionersQuery {
  @ApiPropertyOptional({ description: 'un praticien (celui du compte connecté, par exemple)' }) @IsOptional() @IsUUID('all', { message: 'id doit être un identifiant (uuid)' })
  id?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'practiceId doit être un identifiant (uuid)' })
  practiceId?: string;
  @ApiPropertyOptional({ description: 'les praticiens des cabinets d’une CPTS' }) @IsOptional() @IsUUID('all', { message: 'communityId doit être un identifiant (uuid)' })
  communityId?: string;
  @ApiPropertyOptional({ enum: PROFESSIONS }) @IsOptional() @IsIn(PROFESSIONS)
  profession?: Profession;
}

export class CommuneSearchQuery {
  @ApiProperty({ description: 'Début du nom, code postal ou code INSEE', example: 'chateau' })
  @IsText(80)
  q: string;
}

/** `PATCH /practices/:id`: what a practice's details may become (its CPTS never changes); a new address or commune places it again. */
export class UpdatePracticeDto extends PartialType(OmitType(CreatePracticeDto, ['communityId'] as const)) {}

/** `PATCH /practitioners/:id`: a practitioner's details (their RPPS and practice never change: their slots are the practice's). */
export class UpdatePractitionerDto extends PartialType(OmitType(CreatePractitionerDto, ['rpps', 'practiceId'] as const)) {}
