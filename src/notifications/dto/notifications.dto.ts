import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

/** `outbox`: written to the local outbox file because no provider is configured; nobody received it. */
export const NOTIFICATION_STATUSES = ['queued', 'sent', 'outbox', 'failed', 'cancelled'] as const;

export class ListNotificationsQuery {
  @ApiPropertyOptional({ description: 'les messages d’un rendez-vous' })
  @IsOptional()
  @IsUUID('all', { message: 'bookingId doit être un identifiant de rendez-vous (UUID)' })
  bookingId?: string;

  @ApiPropertyOptional({ description: 'les messages d’une demande SNP' })
  @IsOptional()
  @IsUUID('all', { message: 'requestId doit être un identifiant de demande (UUID)' })
  requestId?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES, description: '`failed` : messages à reprendre à la main' })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES, { message: `status doit être l'un de : ${NOTIFICATION_STATUSES.join(', ')}` })
  status?: (typeof NOTIFICATION_STATUSES)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit doit être un nombre entier' })
  @Min(1, { message: 'limit doit être au moins 1' })
  @Max(1000, { message: 'limit doit être au plus 1000' })
  limit?: number;
}
