import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { APPOINTMENT_STATUS } from '../feed-events';
import { SAS_FEED_STATUSES } from '../sas-feed.service';

/** What the SAS feed routes answer (sas-feed.service.ts), for the OpenAPI document. */

export class SasAppointmentResponse {
  @ApiProperty({ type: String, format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, format: 'uuid' })
  bookingId: string;

  @ApiProperty({ enum: Object.values(APPOINTMENT_STATUS), example: 'booked', description: 'le statut FHIR de l’Appointment transmis' })
  appointmentStatus: string;

  @ApiProperty({ enum: SAS_FEED_STATUSES, example: 'sent' })
  status: string;

  @ApiProperty({ type: 'integer', example: 1 })
  attempts: number;

  @ApiPropertyOptional({ type: 'integer', example: 201, description: 'la dernière réponse HTTP du SAS' })
  httpStatus?: number;

  @ApiPropertyOptional({ type: String, description: 'en échec : pourquoi' })
  error?: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  sentAt?: string;
}

export class SasAppointmentListResponse {
  @ApiProperty({ type: [SasAppointmentResponse], description: 'les plus récents d’abord ; `limit` au plus (200 par défaut, 1000 au plus)' })
  appointments: SasAppointmentResponse[];
}

export class SasRetryResponse {
  @ApiProperty({ type: String, format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['queued'], example: 'queued' })
  status: string;
}
