import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TEMPLATE_NAMES } from '../templates';
import { NOTIFICATION_STATUSES } from './notifications.dto';

/** What GET /notifications answers (notifications.service.ts), for the OpenAPI document. */

export class NotificationResponse {
  @ApiProperty({ type: String, format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['sms', 'email'], example: 'sms' })
  channel: string;

  @ApiPropertyOptional({ type: String, example: '+33612345678', description: 'le destinataire ; absent quand personne ne pouvait être joint, ou une fois le patient anonymisé' })
  to?: string;

  @ApiProperty({ enum: TEMPLATE_NAMES, example: 'booking_confirmed_patient' })
  template: string;

  @ApiProperty({ enum: NOTIFICATION_STATUSES, example: 'sent', description: 'outbox : écrit dans le fichier local faute de fournisseur, personne ne l’a reçu ; failed : à reprendre à la main' })
  status: string;

  @ApiProperty({ type: 'integer', example: 1 })
  attempts: number;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  sentAt?: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T06:58:12.000Z', description: 'quand il doit partir (un rappel : avant le créneau)' })
  sendAt: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T06:58:12.000Z' })
  createdAt: string;

  @ApiPropertyOptional({ type: String, format: 'uuid' })
  bookingId?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid' })
  requestId?: string;

  @ApiPropertyOptional({ enum: ['sms-webhook', 'smtp', 'outbox'], example: 'sms-webhook' })
  provider?: string;

  @ApiPropertyOptional({ type: String })
  providerId?: string;

  @ApiPropertyOptional({ type: 'integer', example: 2, description: 'segments d’un SMS (2 au plus)' })
  segments?: number;

  @ApiPropertyOptional({ type: String, description: 'pourquoi il a échoué (code du fournisseur, `budget_exceeded`, « aucun destinataire… »)' })
  error?: string;
}

export class NotificationListResponse {
  @ApiProperty({ type: [NotificationResponse], description: 'les plus récents d’abord ; `limit` au plus (200 par défaut, 1000 au plus)' })
  notifications: NotificationResponse[];
}

/** `POST /notifications/:id/retry`: the failed message is queued again. */
export class NotificationRetryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['queued'], example: 'queued' }) status: 'queued';
}
