import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsLatitude, IsLongitude, IsNumber, IsObject, IsOptional, Max, Min, ValidateNested,
} from 'class-validator';
import { PatientDto } from '../../bookings/dto/bookings.dto';
import { MODALITIES, Modality } from '../../slots/slot-rules';
import { IsInseeCode, IsInstant, IsText } from '../../validation/decorators';

export const REQUEST_STATUSES = ['pending', 'matched', 'unmatched', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Where the patient is: a commune (its centre) or coordinates. */
export class RequestLocationDto {
  @ApiPropertyOptional({ example: '28088' }) @IsOptional() @IsInseeCode()
  communeCode?: string;

  @ApiPropertyOptional({ example: 48.0708 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lat doit être un nombre' })
  @IsLatitude({ message: 'lat doit être une latitude entre -90 et 90' })
  lat?: number;

  @ApiPropertyOptional({ example: 1.3378 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lon doit être un nombre' })
  @IsLongitude({ message: 'lon doit être une longitude entre -180 et 180' })
  lon?: number;
}

export class CreateRequestDto {
  @ApiProperty({ type: PatientDto })
  @IsObject({ message: 'patient doit être un objet {firstName, lastName, birthDate, phone, …}' })
  @ValidateNested()
  @Type(() => PatientDto)
  patient: PatientDto;

  @ApiProperty({ type: RequestLocationDto, description: '{communeCode} ou {lat, lon}' })
  @IsObject({ message: 'location doit être {communeCode} ou {lat, lon}' })
  @ValidateNested()
  @Type(() => RequestLocationDto)
  location: RequestLocationDto;

  @ApiPropertyOptional({ description: 'défaut : maintenant' }) @IsOptional() @IsInstant()
  notBefore?: string;

  @ApiPropertyOptional({ description: 'défaut : notBefore + 24 h ; au plus 24 h après maintenant (sauf coordination)' }) @IsOptional() @IsInstant()
  notAfter?: string;

  @ApiPropertyOptional({ enum: MODALITIES, isArray: true, default: ['in_person'] })
  @IsOptional()
  @IsArray({ message: 'modalities doit être une liste' })
  @ArrayMinSize(1, { message: 'modalities doit contenir au moins une modalité' })
  @ArrayMaxSize(3)
  @ArrayUnique({ message: 'modalities contient des doublons' })
  @IsIn(MODALITIES, { each: true, message: `modalities : valeurs possibles ${MODALITIES.join(', ')}` })
  modalities?: Modality[];

  @ApiPropertyOptional({ default: 30 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'maxDistanceKm doit être un nombre' })
  @Min(0.1, { message: 'maxDistanceKm doit être au moins 0,1' })
  @Max(300, { message: 'maxDistanceKm ne peut dépasser 300' })
  maxDistanceKm?: number;

  @ApiPropertyOptional({ description: 'affection de longue durée (ALD) : prioritaire' })
  @IsOptional()
  @IsBoolean({ message: 'chronicCondition doit être true ou false' })
  chronicCondition?: boolean;

  @ApiPropertyOptional({ description: 'motif (jamais envoyé par SMS)' }) @IsOptional() @IsText(500)
  reason?: string;
}

export class ListRequestsQuery {
  @ApiPropertyOptional({ enum: REQUEST_STATUSES })
  @IsOptional()
  @IsIn(REQUEST_STATUSES, { message: `status doit être l'un de : ${REQUEST_STATUSES.join(', ')}` })
  status?: RequestStatus;
}
