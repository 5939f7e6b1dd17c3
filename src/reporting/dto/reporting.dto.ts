import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { IsCalendarDate } from '../../validation/decorators';

/** A period of Paris calendar days, both ends included, and whose figures. */
export class PeriodQuery {
  @ApiProperty({ example: '2026-11-01', description: 'premier jour (heure de Paris), inclus' }) @IsCalendarDate()
  from: string;

  @ApiProperty({ example: '2026-11-30', description: 'dernier jour (heure de Paris), inclus ; au plus 366 jours après from' }) @IsCalendarDate()
  to: string;

  @ApiPropertyOptional({ description: 'administrateurs : une CPTS (sans : toutes ensemble) ; la coordination voit la sienne' })
  @IsOptional() @IsUUID('all', { message: 'communityId doit être un identifiant (uuid)' })
  communityId?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv : comme Accept: text/csv' })
  @IsOptional() @IsIn(['json', 'csv'], { message: 'format doit être json ou csv' })
  format?: 'json' | 'csv';
}

/** An ISO week, `2026-W48`. */
export class WeekQuery {
  @ApiPropertyOptional({ example: '2026-W48', description: 'semaine ISO (défaut : la semaine en cours, heure de Paris)' })
  @IsOptional() @Matches(/^\d{4}-W\d{2}$/, { message: 'week doit être une semaine ISO de la forme 2026-W48' })
  week?: string;
}
