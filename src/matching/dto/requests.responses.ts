import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AnonymisedPatientResponse, BookingResponse, PatientResponse, patientProperty } from '../../bookings/dto/bookings.responses';
import { MODALITIES } from '../../slots/slot-rules';
import { REQUEST_STATUSES } from './requests.dto';

/** What the SNP request routes answer (src/matching/requests.service.ts), for the OpenAPI document. */

export class RequestLocationResponse {
  @ApiProperty({ type: Number, example: 48.0708, description: 'où le moteur cherche : les coordonnées données, ou le centre de la commune' })
  lat: number;

  @ApiProperty({ type: Number, example: 1.3378 })
  lon: number;

  @ApiPropertyOptional({ type: String, example: '28088', description: 'la commune donnée, le cas échéant' })
  communeCode?: string;
}

export class RequestResponse {
  @ApiProperty({ type: String, format: 'uuid', example: 'e4f5a6b7-c8d9-4e0f-8a1b-2c3d4e5f6a7b' })
  id: string;

  @ApiProperty({
    enum: REQUEST_STATUSES,
    example: 'pending',
    description: 'pending : le moteur cherche ; matched : rendez-vous pris (`booking`) ; unmatched : rien trouvé avant l’échéance, orienter le patient ailleurs ; cancelled',
  })
  status: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-24T07:00:00.000Z', description: 'l’échéance (= notAfter)' })
  deadline: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T07:00:00.000Z' })
  notBefore: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-24T07:00:00.000Z' })
  notAfter: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-24T06:30:00.000Z', description: 'quand une demande encore en attente passe unmatched (notAfter − MATCHING_ESCALATION_MARGIN_MINUTES)' })
  escalateAt: string;

  @ApiProperty({ type: RequestLocationResponse })
  location: RequestLocationResponse;

  @ApiProperty({ enum: MODALITIES, isArray: true, example: ['in_person'] })
  modalities: string[];

  @ApiProperty({ type: Number, example: 30 })
  maxDistanceKm: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 4, example: 1, description: 'critères de priorité réunis : sans médecin traitant, ALD, plus de 70 ans, moins de 6 ans' })
  urgency: number;

  @ApiProperty(patientProperty())
  patient: PatientResponse | AnonymisedPatientResponse;

  @ApiProperty({ type: Boolean, example: false, description: 'affection de longue durée (ALD)' })
  chronicCondition: boolean;

  @ApiPropertyOptional({ type: String, example: 'Douleur lombaire aiguë' })
  reason?: string;

  @ApiProperty({ type: 'integer', example: 0, description: 'fois où le moteur a cherché' })
  attempts: number;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T07:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T07:00:00.000Z' })
  statusChangedAt: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-11-23T07:00:02.000Z', description: 'une fois appariée' })
  matchedAt?: string;

  @ApiPropertyOptional({ type: () => BookingResponse, description: 'le rendez-vous pris par le moteur, une fois appariée' })
  booking?: BookingResponse;
}

export class RequestListResponse {
  @ApiProperty({ type: [RequestResponse], description: 'les plus récentes d’abord ; 500 au plus' })
  requests: RequestResponse[];
}

/** Examples of the main answers. */
export const PENDING_REQUEST_EXAMPLE = {
  id: 'e4f5a6b7-c8d9-4e0f-8a1b-2c3d4e5f6a7b',
  status: 'pending',
  deadline: '2026-11-24T07:00:00.000Z',
  notBefore: '2026-11-23T07:00:00.000Z',
  notAfter: '2026-11-24T07:00:00.000Z',
  escalateAt: '2026-11-24T06:30:00.000Z',
  location: { lat: 48.1828, lon: 1.3867, communeCode: '28051' },
  modalities: ['in_person'],
  maxDistanceKm: 30,
  urgency: 2,
  patient: { firstName: 'Rose', lastName: 'Lemaire', birthDate: '1950-02-01', phone: '+33698765432', hasReferringGp: false },
  chronicCondition: false,
  attempts: 0,
  createdAt: '2026-11-23T07:00:00.000Z',
  statusChangedAt: '2026-11-23T07:00:00.000Z',
};

export const MATCHED_REQUEST_EXAMPLE = {
  ...PENDING_REQUEST_EXAMPLE,
  status: 'matched',
  attempts: 1,
  statusChangedAt: '2026-11-23T07:00:02.000Z',
  matchedAt: '2026-11-23T07:00:02.000Z',
  booking: {
    id: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f',
    status: 'confirmed',
    channel: 'matching',
    slot: { id: '6a1d2b63-9f8e-4e1c-8d22-4b3c5d6e7f80', start: '2026-11-23T08:00:00.000Z', end: '2026-11-23T08:15:00.000Z', modality: 'in_person' },
    practitioner: { id: '1e7a4c0f-3d5b-4f2c-9b8e-2a3f4e5d6c7b', firstName: 'Marc', lastName: 'Lefèvre', profession: 'general_practitioner' },
    practice: { id: '8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e', name: 'Cabinet médical de Bonneval', address: '3 rue de Chartres, 28800 Bonneval', phone: '+33237470000' },
    patient: { firstName: 'Rose', lastName: 'Lemaire', birthDate: '1950-02-01', phone: '+33698765432', hasReferringGp: false },
    bookedBy: { role: 'secretary', practiceId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e' },
    createdAt: '2026-11-23T07:00:02.000Z',
    statusChangedAt: '2026-11-23T07:00:02.000Z',
  },
};

export const UNMATCHED_REQUEST_EXAMPLE = { ...PENDING_REQUEST_EXAMPLE, status: 'unmatched', attempts: 3, statusChangedAt: '2026-11-24T06:30:00.000Z' };
