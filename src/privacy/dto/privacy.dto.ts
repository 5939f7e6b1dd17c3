import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { IsCalendarDate, IsInstant, IsPhone } from '../../validation/decorators';

/** Who the patient is, as they give it over the phone or in a letter: their phone and birth date. */
export class PatientIdentityDto {
  @ApiProperty({ example: '06 12 34 56 78' }) @IsPhone()
  phone: string;

  @ApiProperty({ example: '1990-05-17' }) @IsCalendarDate()
  birthDate: string;
}

export const AUDIT_ENTITIES = ['booking', 'request', 'slot', 'user', 'api_key', 'patient', 'audit'] as const;

export class AuditEventsQuery {
  @ApiPropertyOptional({ enum: AUDIT_ENTITIES }) @IsOptional() @IsIn(AUDIT_ENTITIES, { message: `entity doit être l'un de : ${AUDIT_ENTITIES.join(', ')}` })
  entity?: (typeof AUDIT_ENTITIES)[number];

  @ApiPropertyOptional({ description: 'un enregistrement : aussi les lectures de listes qui l’ont montré' })
  @IsOptional() @IsUUID('all', { message: 'entityId doit être un identifiant (uuid)' })
  entityId?: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'actorUserId doit être un identifiant (uuid)' })
  actorUserId?: string;

  @ApiPropertyOptional({ description: 'à partir de cet instant (inclus)' }) @IsOptional() @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'avant cet instant' }) @IsOptional() @IsInstant()
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000, default: 1000 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit doit être un nombre entier' }) @Min(1) @Max(10000)
  limit?: number;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv : comme Accept: text/csv' }) @IsOptional() @IsIn(['json', 'csv'], { message: 'format doit être json ou csv' })
  format?: 'json' | 'csv';
}
