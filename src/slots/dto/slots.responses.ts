import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROFESSIONS } from '../../directory/professions';
import { AUDIENCES, MODALITIES, SLOT_STATUSES } from '../slot-rules';

/** What the slot routes answer (src/slots/slots.service.ts, slot-search.ts, availability.ts), for the OpenAPI document. */

export class SlotResponse {
  @ApiProperty({ type: String, format: 'uuid', example: '5f0c1a52-8f7e-4d0b-9c11-3a2b4c5d6e7f' })
  id: string;

  @ApiProperty({ type: String, format: 'uuid', example: '0d6f3b9e-2c4a-4e1b-8a7d-1f2e3d4c5b6a' })
  practitionerId: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T07:30:00.000Z', description: 'début, en UTC' })
  start: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T07:45:00.000Z', description: 'fin, en UTC' })
  end: string;

  @ApiProperty({ enum: MODALITIES, example: 'in_person' })
  modality: string;

  @ApiProperty({ enum: AUDIENCES, isArray: true, example: ['cpts', 'regulation'], description: 'qui peut voir et réserver ce créneau' })
  audiences: string[];

  @ApiProperty({ enum: SLOT_STATUSES, example: 'free', description: 'une retenue expirée se lit `free`' })
  status: string;
}

export class SlotListResponse {
  @ApiProperty({ type: [SlotResponse], description: 'par début croissant ; 2000 au plus' })
  slots: SlotResponse[];
}

export class SearchResultSlot {
  @ApiProperty({ type: String, format: 'uuid', example: '5f0c1a52-8f7e-4d0b-9c11-3a2b4c5d6e7f' })
  id: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T07:30:00.000Z' })
  start: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T07:45:00.000Z' })
  end: string;

  @ApiProperty({ enum: MODALITIES, example: 'in_person' })
  modality: string;
}

export class SearchResultPractitioner {
  @ApiProperty({ type: String, format: 'uuid', example: '0d6f3b9e-2c4a-4e1b-8a7d-1f2e3d4c5b6a' })
  id: string;

  @ApiProperty({ type: String, example: 'Claire' })
  firstName: string;

  @ApiProperty({ type: String, example: 'Durand' })
  lastName: string;

  @ApiProperty({ enum: PROFESSIONS, example: 'general_practitioner' })
  profession: string;

  @ApiProperty({ type: 'integer', example: 0, description: 'âge minimum des patients, en mois' })
  minPatientAgeMonths: number;
}

export class SearchResultPractice {
  @ApiProperty({ type: String, format: 'uuid', example: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' })
  id: string;

  @ApiProperty({ type: String, example: 'Maison de santé du Dunois' })
  name: string;

  @ApiProperty({ type: String, example: '12 rue de la République, 28200 Châteaudun' })
  address: string;

  @ApiProperty({ type: String, example: '+33237450000', description: 'E.164' })
  phone: string;
}

/** One free slot found, with its practitioner and practice (also the items of a 409's `alternatives`). */
export class SearchResultResponse {
  @ApiProperty({ type: SearchResultSlot })
  slot: SearchResultSlot;

  @ApiProperty({ type: Number, nullable: true, example: 2.41, description: 'km à vol d’oiseau du lieu cherché ; null pour l’agenda d’un praticien (`practitionerId`, sans lieu)' })
  distanceKm: number | null;

  @ApiProperty({ type: SearchResultPractitioner })
  practitioner: SearchResultPractitioner;

  @ApiProperty({ type: SearchResultPractice })
  practice: SearchResultPractice;
}

export class SlotSearchResponse {
  @ApiProperty({
    type: [SearchResultResponse],
    description: 'les meilleurs d’abord (règle de classement : README) ; `limit` au plus (10 par défaut, 50 pour l’agenda d’un praticien, 100 au plus)',
  })
  results: SearchResultResponse[];
}

export class HoldResponse {
  @ApiProperty({ type: String, format: 'uuid', example: '3c9e7d1a-6b2f-4e8a-9d0c-5b4a3f2e1d0c', description: 'à donner comme `holdToken` à POST /bookings' })
  holdToken: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T07:05:00.000Z', description: 'fin de la retenue (HOLD_SECONDS, 5 minutes par défaut)' })
  expiresAt: string;
}

export class AvailabilityBucket {
  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T07:00:00.000Z', description: 'début de la tranche (alignée sur l’heure de Paris)' })
  start: string;

  @ApiProperty({ type: 'integer', example: 4, description: 'créneaux réservables commençant dans la tranche' })
  freeSlots: number;

  @ApiProperty({ type: 'integer', example: 2, description: 'praticiens qui les proposent' })
  practitioners: number;
}

export class AvailabilityCommune {
  @ApiProperty({ type: String, example: '28088' })
  communeCode: string;

  @ApiProperty({ type: String, example: 'Châteaudun' })
  name: string;

  @ApiProperty({ type: 'integer', example: 6 })
  freeSlots: number;

  @ApiProperty({ type: Number, example: 1.2, description: 'km du lieu au plus proche de ses cabinets ayant un créneau libre (une décimale)' })
  distanceKm: number;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T07:30:00.000Z', description: 'son premier créneau libre' })
  nextStart: string;
}

export class AvailabilityResponse {
  @ApiProperty({ type: [AvailabilityBucket], description: 'chaque tranche de la fenêtre, les vides à 0' })
  buckets: AvailabilityBucket[];

  @ApiProperty({ type: [AvailabilityCommune], description: 'par commune, la plus fournie d’abord' })
  byCommune: AvailabilityCommune[];
}

export class SlotTemplateResponse {
  @ApiProperty({ type: String, format: 'uuid', example: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' })
  id: string;

  @ApiProperty({ type: String, format: 'uuid', example: '0d6f3b9e-2c4a-4e1b-8a7d-1f2e3d4c5b6a' })
  practitionerId: string;

  @ApiProperty({ type: 'integer', isArray: true, example: [1, 2, 3, 4, 5], description: '1 = lundi … 7 = dimanche' })
  weekdays: number[];

  @ApiProperty({ type: String, example: '08:30', description: 'heure de Paris' })
  startTime: string;

  @ApiProperty({ type: String, example: '09:30', description: 'heure de Paris' })
  endTime: string;

  @ApiProperty({ type: 'integer', example: 15 })
  slotMinutes: number;

  @ApiProperty({ enum: MODALITIES, example: 'in_person' })
  modality: string;

  @ApiProperty({ enum: AUDIENCES, isArray: true, example: ['cpts', 'regulation'] })
  audiences: string[];

  @ApiProperty({ type: String, format: 'date', example: '2026-11-23' })
  validFrom: string;

  @ApiProperty({ type: String, format: 'date', nullable: true, example: null, description: 'null : sans fin' })
  validUntil: string | null;
}

export class SlotTemplateListResponse {
  @ApiProperty({ type: [SlotTemplateResponse], description: 'modèles en cours, par praticien puis heure de début ; 2000 au plus' })
  templates: SlotTemplateResponse[];
}

/** The template as it was sent, with its id and its modality and audiences filled in. */
export class NewSlotTemplate {
  @ApiProperty({ type: String, format: 'uuid', example: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' })
  id: string;

  @ApiProperty({ type: String, format: 'uuid', example: '0d6f3b9e-2c4a-4e1b-8a7d-1f2e3d4c5b6a' })
  practitionerId: string;

  @ApiProperty({ type: 'integer', isArray: true, example: [1, 2, 3, 4, 5] })
  weekdays: number[];

  @ApiProperty({ type: String, example: '08:30' })
  startTime: string;

  @ApiProperty({ type: String, example: '09:30' })
  endTime: string;

  @ApiProperty({ type: 'integer', example: 15 })
  slotMinutes: number;

  @ApiProperty({ enum: MODALITIES, example: 'in_person' })
  modality: string;

  @ApiProperty({ enum: AUDIENCES, isArray: true, example: ['cpts', 'regulation'] })
  audiences: string[];

  @ApiProperty({ type: String, format: 'date', example: '2026-11-23' })
  validFrom: string;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, example: '2027-06-30', description: 'tel qu’envoyé : absent quand il n’a pas été donné' })
  validUntil?: string | null;
}

export class SlotTemplateCreatedResponse {
  @ApiProperty({ type: NewSlotTemplate })
  template: NewSlotTemplate;

  @ApiProperty({ type: 'integer', example: 20, description: 'créneaux créés aussitôt pour les 7 prochains jours (TEMPLATE_HORIZON_DAYS)' })
  generated: number;
}

/** Examples of the main answers (the same values as the properties' examples). */
export const SEARCH_RESULT_EXAMPLE = {
  slot: { id: '5f0c1a52-8f7e-4d0b-9c11-3a2b4c5d6e7f', start: '2026-11-23T07:30:00.000Z', end: '2026-11-23T07:45:00.000Z', modality: 'in_person' },
  distanceKm: 2.41,
  practitioner: { id: '0d6f3b9e-2c4a-4e1b-8a7d-1f2e3d4c5b6a', firstName: 'Claire', lastName: 'Durand', profession: 'general_practitioner', minPatientAgeMonths: 0 },
  practice: { id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', name: 'Maison de santé du Dunois', address: '12 rue de la République, 28200 Châteaudun', phone: '+33237450000' },
};

export const SECOND_SEARCH_RESULT_EXAMPLE = {
  slot: { id: '6a1d2b63-9f8e-4e1c-8d22-4b3c5d6e7f80', start: '2026-11-23T08:00:00.000Z', end: '2026-11-23T08:15:00.000Z', modality: 'in_person' },
  distanceKm: 12.8,
  practitioner: { id: '1e7a4c0f-3d5b-4f2c-9b8e-2a3f4e5d6c7b', firstName: 'Marc', lastName: 'Lefèvre', profession: 'general_practitioner', minPatientAgeMonths: 0 },
  practice: { id: '8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e', name: 'Cabinet médical de Bonneval', address: '3 rue de Chartres, 28800 Bonneval', phone: '+33237470000' },
};

export const SEARCH_EXAMPLES = {
  around: {
    summary: 'Autour d’une commune (?communeCode=28088&patientAgeMonths=8)',
    value: { results: [SEARCH_RESULT_EXAMPLE, SECOND_SEARCH_RESULT_EXAMPLE] },
  },
  agenda: {
    summary: 'L’agenda d’un praticien (?practitionerId=…, sans lieu : distanceKm null)',
    value: { results: [{ ...SEARCH_RESULT_EXAMPLE, distanceKm: null }] },
  },
  nothing: { summary: 'Rien de libre dans la fenêtre et le rayon', value: { results: [] } },
};

export const HOLD_EXAMPLE = { holdToken: '3c9e7d1a-6b2f-4e8a-9d0c-5b4a3f2e1d0c', expiresAt: '2026-11-23T07:05:00.000Z' };
