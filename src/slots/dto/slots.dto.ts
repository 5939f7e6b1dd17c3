import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsLatitude, IsLongitude, IsNumber, IsOptional, IsUUID, Matches, Max, Min, ValidateNested,
} from 'class-validator';
import { IsCalendarDate, IsInseeCode, IsInstant, IsPostcode } from '../../validation/decorators';
import { Audience, AUDIENCES, MODALITIES, Modality, SLOT_STATUSES, SlotStatus } from '../slot-rules';

const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value);
const modalityMessage = `modality doit être l'une de : ${MODALITIES.join(', ')}`;

/** `audiences`: a non-empty subset of cpts and regulation (default both). */
const IsAudiences = () => (target: object, property: string) => {
  ApiPropertyOptional({ enum: AUDIENCES, isArray: true, default: AUDIENCES, description: 'cpts : les cabinets de la CPTS ; regulation : le 15 / SAS (TRE_R314 CPTS, SNP)' })(target, property);
  IsOptional()(target, property);
  IsArray({ message: 'audiences doit être une liste : cpts, regulation ou les deux' })(target, property);
  ArrayMinSize(1, { message: 'audiences ne peut être vide : cpts, regulation ou les deux' })(target, property);
  ArrayUnique({ message: 'audiences contient des doublons' })(target, property);
  IsIn(AUDIENCES, { each: true, message: `audiences : valeurs possibles ${AUDIENCES.join(', ')}` })(target, property);
};

export class NewSlotDto {
  @ApiProperty({ example: '2026-11-23T08:30:00+01:00' }) @IsInstant()
  start: string;

  @ApiProperty({ example: '2026-11-23T08:45:00+01:00' }) @IsInstant()
  end: string;

  @ApiPropertyOptional({ enum: MODALITIES, default: 'in_person' }) @IsOptional() @IsIn(MODALITIES, { message: modalityMessage })
  modality?: Modality;

  @IsAudiences()
  audiences?: Audience[];
}

export class PublishSlotsDto {
  @ApiProperty() @IsUUID('all', { message: 'practitionerId doit être un identifiant (uuid)' })
  practitionerId: string;

  @ApiProperty({ type: [NewSlotDto] })
  @IsArray({ message: 'slots doit être une liste de créneaux {start, end, modality?}' })
  @ArrayMinSize(1, { message: 'slots doit contenir au moins un créneau' })
  @ArrayMaxSize(200, { message: 'pas plus de 200 créneaux par envoi' })
  @ValidateNested({ each: true })
  @Type(() => NewSlotDto)
  slots: NewSlotDto[];
}

export class ListSlotsQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'practitionerId doit être un identifiant (uuid)' })
  practitionerId?: string;

  @ApiPropertyOptional() @IsOptional() @IsInstant()
  from?: string;

  @ApiPropertyOptional() @IsOptional() @IsInstant()
  to?: string;

  @ApiPropertyOptional({ enum: SLOT_STATUSES }) @IsOptional() @IsIn(SLOT_STATUSES, { message: `status doit être l'un de : ${SLOT_STATUSES.join(', ')}` })
  status?: SlotStatus;
}

/** Where to look: coordinates, a commune (its centre) or a postcode. */
export class PlaceQuery {
  @ApiPropertyOptional({ example: 48.0708 })
  @IsOptional() @Transform(toNumber) @IsNumber({}, { message: 'lat doit être un nombre' }) @IsLatitude({ message: 'lat doit être une latitude entre -90 et 90' })
  lat?: number;

  @ApiPropertyOptional({ example: 1.3378 })
  @IsOptional() @Transform(toNumber) @IsNumber({}, { message: 'lon doit être un nombre' }) @IsLongitude({ message: 'lon doit être une longitude entre -180 et 180' })
  lon?: number;

  @ApiPropertyOptional({ example: '28088' }) @IsOptional() @IsInseeCode()
  communeCode?: string;

  @ApiPropertyOptional({ example: '28200' }) @IsOptional() @IsPostcode()
  postcode?: string;
}

export class SearchSlotsQuery extends PlaceQuery {
  @ApiPropertyOptional({ description: 'les créneaux libres de ce praticien seulement (le lieu est alors facultatif) : l’agenda qu’ouvre le lien du SAS' })
  @IsOptional() @IsUUID('all', { message: 'practitionerId doit être un identifiant (uuid)' })
  practitionerId?: string;

  @ApiPropertyOptional({ description: 'défaut : maintenant' }) @IsOptional() @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'défaut : from + 24 h' }) @IsOptional() @IsInstant()
  to?: string;

  @ApiPropertyOptional({ enum: MODALITIES }) @IsOptional() @IsIn(MODALITIES, { message: modalityMessage })
  modality?: Modality;

  @ApiPropertyOptional({ example: 8 })
  @IsOptional() @Transform(toNumber) @IsInt({ message: 'patientAgeMonths doit être un nombre entier de mois' }) @Min(0) @Max(1500)
  patientAgeMonths?: number;

  @ApiPropertyOptional({ default: 30 })
  @IsOptional() @Transform(toNumber) @IsNumber({}, { message: 'maxDistanceKm doit être un nombre' }) @Min(0.1, { message: 'maxDistanceKm doit être au moins 0,1' }) @Max(300, { message: 'maxDistanceKm ne peut dépasser 300' })
  maxDistanceKm?: number;

  @ApiPropertyOptional({ default: 10 })
  @IsOptional() @Transform(toNumber) @IsInt({ message: 'limit doit être un entier' }) @Min(1, { message: 'limit doit être au moins 1' }) @Max(100, { message: 'limit ne peut dépasser 100' })
  limit?: number;
}

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

export class CreateSlotTemplateDto {
  @ApiProperty() @IsUUID('all', { message: 'practitionerId doit être un identifiant (uuid)' })
  practitionerId: string;

  @ApiProperty({ example: [1, 2, 3, 4, 5], description: '1 = lundi … 7 = dimanche' })
  @IsArray({ message: 'weekdays doit être une liste de jours (1 = lundi … 7 = dimanche)' })
  @ArrayMinSize(1) @ArrayMaxSize(7) @ArrayUnique({ message: 'weekdays contient des doublons' })
  @IsInt({ each: true, message: 'weekdays : jours de 1 (lundi) à 7 (dimanche)' })
  @Min(1, { each: true, message: 'weekdays : jours de 1 (lundi) à 7 (dimanche)' })
  @Max(7, { each: true, message: 'weekdays : jours de 1 (lundi) à 7 (dimanche)' })
  weekdays: number[];

  @ApiProperty({ example: '08:30' }) @Matches(TIME, { message: 'startTime doit être une heure HH:MM (ex. 08:30)' })
  startTime: string;

  @ApiProperty({ example: '09:30' }) @Matches(TIME, { message: 'endTime doit être une heure HH:MM (ex. 09:30)' })
  endTime: string;

  @ApiProperty({ example: 15 }) @IsInt({ message: 'slotMinutes doit être un nombre entier de minutes' }) @Min(5) @Max(240)
  slotMinutes: number;

  @ApiPropertyOptional({ enum: MODALITIES }) @IsOptional() @IsIn(MODALITIES, { message: modalityMessage })
  modality?: Modality;

  @IsAudiences()
  audiences?: Audience[];

  @ApiProperty({ example: '2026-11-23' }) @IsCalendarDate()
  validFrom: string;

  @ApiPropertyOptional({ example: '2027-06-30' }) @IsOptional() @IsCalendarDate()
  validUntil?: string;
}

/** `GET /slot-templates`: the active templates the caller may manage, of one practitioner or all. */
export class ListSlotTemplatesQuery {
  @ApiPropertyOptional({ description: 'défaut : tous les praticiens dont vous gérez l’agenda' })
  @IsOptional() @IsUUID('all', { message: 'practitionerId doit être un identifiant (uuid)' })
  practitionerId?: string;
}

export const BUCKET_MINUTES = [15, 30, 60, 120, 180, 240] as const;

/** `GET /availability`: where (coordinates, commune or postcode), how far, when, in buckets of how long. */
export class AvailabilityQuery extends PlaceQuery {
  @ApiPropertyOptional({ default: 30 })
  @IsOptional() @Transform(toNumber) @IsNumber({}, { message: 'radiusKm doit être un nombre' }) @Min(0.1, { message: 'radiusKm doit être au moins 0,1' }) @Max(300, { message: 'radiusKm ne peut dépasser 300' })
  radiusKm?: number;

  @ApiPropertyOptional({ description: 'défaut : maintenant' }) @IsOptional() @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'défaut : from + 24 h ; 7 jours au plus' }) @IsOptional() @IsInstant()
  to?: string;

  @ApiPropertyOptional({ enum: BUCKET_MINUTES, default: 60, description: 'tranches alignées sur l’heure de Paris' })
  @IsOptional() @Transform(toNumber) @IsIn(BUCKET_MINUTES, { message: `bucketMinutes doit être l'une de : ${BUCKET_MINUTES.join(', ')}` })
  bucketMinutes?: (typeof BUCKET_MINUTES)[number];
}
