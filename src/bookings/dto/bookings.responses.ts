import { SearchResultSlot } from '../../slots/dto/slots.responses';
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ROLES } from '../../auth/roles';
import { PROFESSIONS } from '../../directory/professions';

/** What the booking routes answer (src/bookings/bookings.service.ts, patient.ts), for the OpenAPI document. */

export const BOOKING_STATUSES = ['confirmed', 'cancelled', 'attended', 'no_show'] as const;
export const BOOKING_CHANNELS = ['secretary', 'regulation', 'matching', 'coordination'] as const;

/** The patient of a booking or a request, while their identity is kept. */
export class PatientResponse {
  @ApiProperty({ type: String, example: 'Léa' })
  firstName: string;

  @ApiProperty({ type: String, example: 'Martin' })
  lastName: string;

  @ApiProperty({ type: String, format: 'date', example: '1990-05-17' })
  birthDate: string;

  @ApiProperty({ type: String, example: '+33612345678', description: 'E.164, quelle que soit la façon dont il a été saisi' })
  phone: string;

  @ApiPropertyOptional({ type: String, example: 'lea.martin@example.fr' })
  email?: string;

  @ApiPropertyOptional({ type: String, example: '28088', description: 'commune INSEE du patient' })
  communeCode?: string;

  @ApiPropertyOptional({ type: Boolean, example: false, description: 'le patient a-t-il un médecin traitant ? (absent : non dit)' })
  hasReferringGp?: boolean;

  @ApiPropertyOptional({ type: String, example: '10003456789', description: 'RPPS de son médecin traitant, s’il a été donné' })
  referringGpRpps?: string;
}

/** The patient once anonymised (right to erasure, or retention): what the figures count, no identity. */
export class AnonymisedPatientResponse {
  @ApiProperty({ type: Boolean, example: true, description: 'toujours true' })
  anonymised: true;

  @ApiProperty({ type: String, format: 'date-time', example: '2027-02-21T02:00:00.000Z' })
  anonymisedAt: string;

  @ApiPropertyOptional({ type: String, example: '28088' })
  communeCode?: string;

  @ApiPropertyOptional({ type: Boolean, example: false })
  hasReferringGp?: boolean;
}

/** Register these (ApiExtraModels) on a controller whose answers carry a patient: `patient` refers to them. */
export const PATIENT_MODELS = [PatientResponse, AnonymisedPatientResponse];

/** `patient` of a booking or a request: the identity, or what is left once anonymised. */
export const patientProperty = () => ({
  oneOf: [{ $ref: getSchemaPath(PatientResponse) }, { $ref: getSchemaPath(AnonymisedPatientResponse) }],
  description: 'l’identité du patient, ou `{anonymised: true, anonymisedAt, communeCode?, hasReferringGp?}` une fois anonymisé (effacement, durée de conservation)',
});

export class BookingPractitioner {
  @ApiProperty({ type: String, format: 'uuid', example: '0d6f3b9e-2c4a-4e1b-8a7d-1f2e3d4c5b6a' })
  id: string;

  @ApiProperty({ type: String, example: 'Claire' })
  firstName: string;

  @ApiProperty({ type: String, example: 'Durand' })
  lastName: string;

  @ApiProperty({ enum: PROFESSIONS, example: 'general_practitioner' })
  profession: string;
}

export class BookingPractice {
  @ApiProperty({ type: String, format: 'uuid', example: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', description: 'le cabinet qui reçoit' })
  id: string;

  @ApiProperty({ type: String, example: 'Maison de santé du Dunois' })
  name: string;

  @ApiProperty({ type: String, example: '12 rue de la République, 28200 Châteaudun' })
  address: string;

  @ApiProperty({ type: String, example: '+33237450000' })
  phone: string;
}

export class BookedBy {
  @ApiProperty({ enum: ROLES, example: 'secretary' })
  role: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', example: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', description: 'le cabinet qui a réservé (secrétariat)' })
  practiceId?: string;
}

export class BookingResponse {
  @ApiProperty({ type: String, format: 'uuid', example: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f' })
  id: string;

  @ApiProperty({ enum: BOOKING_STATUSES, example: 'confirmed' })
  status: string;

  @ApiProperty({ enum: BOOKING_CHANNELS, example: 'secretary', description: 'qui l’a pris : un secrétariat, la régulation, le moteur (demande SNP), la coordination' })
  channel: string;

  @ApiPropertyOptional({ enum: ['sas'], description: 'sas : pris par la régulation depuis la plateforme SAS (transmis au SAS)' })
  origin?: string;

  @ApiProperty({ type: SearchResultSlot })
  slot: SearchResultSlot;

  @ApiProperty({ type: BookingPractitioner })
  practitioner: BookingPractitioner;

  @ApiProperty({ type: BookingPractice })
  practice: BookingPractice;

  @ApiProperty(patientProperty())
  patient: PatientResponse | AnonymisedPatientResponse;

  @ApiPropertyOptional({ type: String, example: 'Fièvre depuis 3 jours', description: 'motif (jamais envoyé par SMS)' })
  reason?: string;

  @ApiProperty({ type: BookedBy })
  bookedBy: BookedBy;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T06:58:12.345Z' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T06:58:12.345Z', description: 'dernier changement de statut' })
  statusChangedAt: string;

  @ApiPropertyOptional({ type: String, example: 'Patient rappelé : rendez-vous pris ailleurs' })
  cancelReason?: string;
}

export class BookingWarning {
  @ApiProperty({ enum: ['patient_already_booked'], example: 'patient_already_booked' })
  code: string;

  @ApiProperty({ type: String, format: 'uuid', example: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', description: 'l’autre rendez-vous vivant du patient (même téléphone et date de naissance) à moins de 24 h de celui-ci' })
  bookingId: string;
}

/** The answer of POST /bookings: the booking, and what the caller should check before reading out the confirmation. */
export class NewBookingResponse extends BookingResponse {
  @ApiPropertyOptional({
    type: [BookingWarning],
    description: 'présent seulement quand le patient a déjà un rendez-vous vivant (que vous pouvez voir) à moins de 24 h de celui-ci ; le rendez-vous est quand même pris',
  })
  warnings?: BookingWarning[];
}

export class BookingListResponse {
  @ApiProperty({ type: [BookingResponse], description: 'par début de créneau ; 1000 au plus' })
  bookings: BookingResponse[];
}

export class BookingCancelledResponse {
  @ApiProperty({ type: String, format: 'uuid', example: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f' })
  id: string;

  @ApiProperty({ enum: ['cancelled'], example: 'cancelled' })
  status: string;
}

export class BookingOutcomeResponse {
  @ApiProperty({ type: String, format: 'uuid', example: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f' })
  id: string;

  @ApiProperty({ enum: ['attended', 'no_show'], example: 'attended' })
  status: string;
}

/** Examples of the main answers. */
export const BOOKING_EXAMPLE = {
  id: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f',
  status: 'confirmed',
  channel: 'secretary',
  slot: { id: '5f0c1a52-8f7e-4d0b-9c11-3a2b4c5d6e7f', start: '2026-11-23T07:30:00.000Z', end: '2026-11-23T07:45:00.000Z', modality: 'in_person' },
  practitioner: { id: '0d6f3b9e-2c4a-4e1b-8a7d-1f2e3d4c5b6a', firstName: 'Claire', lastName: 'Durand', profession: 'general_practitioner' },
  practice: { id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', name: 'Maison de santé du Dunois', address: '12 rue de la République, 28200 Châteaudun', phone: '+33237450000' },
  patient: { firstName: 'Léa', lastName: 'Martin', birthDate: '1990-05-17', phone: '+33612345678', communeCode: '28088', hasReferringGp: false },
  reason: 'Fièvre depuis 3 jours',
  bookedBy: { role: 'secretary', practiceId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e' },
  createdAt: '2026-11-23T06:58:12.345Z',
  statusChangedAt: '2026-11-23T06:58:12.345Z',
};

export const NEW_BOOKING_EXAMPLES = {
  booked: { summary: 'Rendez-vous pris', value: BOOKING_EXAMPLE },
  alreadyBooked: {
    summary: 'Pris, mais le patient a déjà un rendez-vous à moins de 24 h : à vérifier avec lui avant de confirmer',
    value: { ...BOOKING_EXAMPLE, warnings: [{ code: 'patient_already_booked', bookingId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' }] },
  },
};
