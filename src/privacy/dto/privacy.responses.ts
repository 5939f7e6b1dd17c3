import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AnonymisedPatientResponse, BookingResponse, PatientResponse, patientProperty } from '../../bookings/dto/bookings.responses';
import { REQUEST_STATUSES } from '../../matching/dto/requests.dto';
import { AUDIT_ENTITIES } from './privacy.dto';

/** What the privacy routes answer (audit-trail.service.ts, patients.service.ts), for the OpenAPI document. */

export class AuditEventResponse {
  @ApiProperty({ type: 'integer', example: 48213 })
  id: number;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T06:58:12.345Z' })
  at: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', example: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' })
  actorUserId?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid' })
  actorApiKeyId?: string;

  @ApiProperty({ type: String, example: 'secretary', description: 'le rôle de l’auteur, ou `system` (durée de conservation)' })
  actorRole: string;

  @ApiProperty({ type: String, example: 'create', description: 'read, create, update, cancel, outcome, hold, login, login_failed, logout, revoke, mfa_reset, erase, retention' })
  action: string;

  @ApiProperty({ enum: AUDIT_ENTITIES, example: 'booking' })
  entity: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', example: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f' })
  entityId?: string;

  @ApiPropertyOptional({ type: [String], description: 'les enregistrements qu’a montrés une lecture de liste' })
  entityIds?: string[];

  @ApiPropertyOptional({ type: String, example: '192.0.2.10' })
  ip?: string;

  @ApiPropertyOptional({ type: String, description: 'un événement `retention` du journal : où la chaîne commence désormais, combien d’événements sont partis' })
  detail?: string;
}

export class AuditEventListResponse {
  @ApiProperty({ type: [AuditEventResponse], description: 'les plus récents d’abord ; `limit` au plus (1000 par défaut, 10000 au plus)' })
  events: AuditEventResponse[];
}

export class AuditChainVerdictResponse {
  @ApiProperty({ type: Boolean, example: true })
  ok: boolean;

  @ApiProperty({ type: 'integer', example: 48213, description: 'événements vérifiés' })
  checked: number;

  @ApiPropertyOptional({ type: 'integer', description: 'le premier événement modifié, ou celui qui suit des événements supprimés' })
  firstBrokenId?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'sa place dans la chaîne, ou la première place manquante' })
  firstBrokenSeq?: number;

  @ApiPropertyOptional({ type: String, description: 'pourquoi la chaîne est rompue, en français' })
  reason?: string;
}

export class PatientRequestSummary {
  @ApiProperty({ type: String, format: 'uuid', example: 'e4f5a6b7-c8d9-4e0f-8a1b-2c3d4e5f6a7b' })
  id: string;

  @ApiProperty({ enum: REQUEST_STATUSES, example: 'matched' })
  status: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T07:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-24T07:00:00.000Z' })
  deadline: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'le rendez-vous que le moteur a pris' })
  bookingId?: string;

  @ApiProperty(patientProperty())
  patient: PatientResponse | AnonymisedPatientResponse;

  @ApiPropertyOptional({ type: String })
  reason?: string;
}

export class PatientRecordResponse {
  @ApiProperty({ type: [BookingResponse], description: 'ses rendez-vous dans votre périmètre, les plus récents d’abord (sans limite)' })
  bookings: BookingResponse[];

  @ApiProperty({ type: [PatientRequestSummary], description: 'ses demandes SNP dans votre périmètre, les plus récentes d’abord (sans limite)' })
  requests: PatientRequestSummary[];
}

export class ErasureResponse {
  @ApiProperty({ type: 'integer', example: 2, description: 'rendez-vous anonymisés maintenant (ceux qui l’étaient déjà ne comptent pas)' })
  bookings: number;

  @ApiProperty({ type: 'integer', example: 1 })
  requests: number;

  @ApiProperty({ type: 'integer', example: 4, description: 'messages dont le destinataire patient est effacé (ceux en attente sont annulés)' })
  notifications: number;
}
