import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROFESSIONS } from '../../directory/professions';

/** What the figures routes answer (reporting.service.ts, indicators.ts, add-ons.ts), for the OpenAPI document. */

export class RequestCounters {
  @ApiProperty({ type: 'integer', example: 42, description: 'Demandes SNP déposées' })
  filed: number;

  @ApiProperty({ type: 'integer', example: 35, description: 'Demandes satisfaites (RDV trouvé)' })
  matched: number;

  @ApiProperty({ type: 'integer', example: 4, description: 'Demandes restées sans créneau' })
  unmatched: number;

  @ApiProperty({ type: 'integer', example: 2, description: 'Demandes annulées' })
  cancelled: number;

  @ApiProperty({ type: 'integer', example: 1, description: 'Demandes en attente' })
  pending: number;

  @ApiProperty({ type: 'integer', example: 33, description: 'Demandes satisfaites par un RDV dans les 24 h' })
  matchedWithin24h: number;
}

export class BookingChannelCounters {
  @ApiProperty({ type: 'integer', example: 120, description: 'RDV pris par un secrétariat' })
  secretary: number;

  @ApiProperty({ type: 'integer', example: 48, description: 'RDV pris par la régulation' })
  regulation: number;

  @ApiProperty({ type: 'integer', example: 35, description: 'RDV pris par le moteur (demandes)' })
  matching: number;

  @ApiProperty({ type: 'integer', example: 3, description: 'RDV pris par la coordination' })
  coordination: number;
}

export class BookingCounters {
  @ApiProperty({ type: 'integer', example: 206, description: 'RDV SNP pris' })
  total: number;

  @ApiProperty({ type: BookingChannelCounters })
  byChannel: BookingChannelCounters;

  @ApiProperty({ type: 'integer', example: 190, description: 'RDV dans les 24 h suivant la prise' })
  within24h: number;

  @ApiProperty({ type: 'integer', example: 170, description: 'RDV honorés' })
  attended: number;

  @ApiProperty({ type: 'integer', example: 9, description: 'Patients non venus' })
  noShow: number;

  @ApiProperty({ type: 'integer', example: 14, description: 'RDV annulés' })
  cancelled: number;
}

export class SlotCounters {
  @ApiProperty({ type: 'integer', example: 260, description: 'Créneaux SNP publiés' })
  published: number;

  @ApiProperty({ type: 'integer', example: 192, description: 'Créneaux réservés' })
  booked: number;

  @ApiProperty({ type: 'integer', example: 61, description: 'Créneaux passés sans patient' })
  unused: number;

  @ApiProperty({ type: Number, nullable: true, example: 0.74, description: 'Taux de remplissage des créneaux : booked ÷ published, deux décimales ; null quand rien n’a été publié' })
  fillRate: number | null;
}

export class PractitionerCounters {
  @ApiProperty({ type: 'integer', example: 38, description: 'Praticiens membres de la CPTS (aujourd’hui)' })
  members: number;

  @ApiProperty({ type: 'integer', example: 21, description: 'Praticiens ayant publié des créneaux' })
  publishing: number;
}

export class PatientCounters {
  @ApiProperty({ type: 'integer', example: 57, description: 'RDV de patients sans médecin traitant' })
  withoutReferringGp: number;
}

/** The counters of the contract, for a period or one of its weeks. */
export class IndicatorCounters {
  @ApiProperty({ type: RequestCounters })
  requests: RequestCounters;

  @ApiProperty({ type: BookingCounters })
  bookings: BookingCounters;

  @ApiProperty({ type: SlotCounters })
  slots: SlotCounters;

  @ApiProperty({ type: PractitionerCounters })
  practitioners: PractitionerCounters;

  @ApiProperty({ type: PatientCounters })
  patients: PatientCounters;
}

export class IndicatorsResponse extends IndicatorCounters {
  @ApiProperty({ type: String, format: 'date', example: '2026-11-01', description: 'premier jour (Paris), tel que demandé' })
  from: string;

  @ApiProperty({ type: String, format: 'date', example: '2026-11-30', description: 'dernier jour (Paris), inclus' })
  to: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f', description: 'la CPTS comptée ; null : toutes ensemble (administrateurs)' })
  communityId: string | null;
}

export class WeeklyIndicators extends IndicatorCounters {
  @ApiProperty({ type: String, example: '2026-W45', description: 'semaine ISO (lundi → dimanche, heure de Paris)' })
  week: string;
}

export class WeeklyIndicatorsResponse {
  @ApiProperty({ type: String, format: 'date', example: '2026-11-01' })
  from: string;

  @ApiProperty({ type: String, format: 'date', example: '2026-11-30' })
  to: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null : toutes les CPTS ensemble (administrateurs)' })
  communityId: string | null;

  @ApiProperty({ type: [WeeklyIndicators], description: 'chaque semaine ISO qui touche la période, dans l’ordre, les vides à 0 ; la première et la dernière coupées à la période' })
  weeks: WeeklyIndicators[];
}

export class PractitionerFiguresPractice {
  @ApiProperty({ type: String, format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, example: 'Maison de santé du Dunois' })
  name: string;
}

export class PractitionerFiguresSlots {
  @ApiProperty({ type: 'integer', example: 24 })
  published: number;

  @ApiProperty({ type: 'integer', example: 19 })
  booked: number;

  @ApiProperty({ type: Number, nullable: true, example: 0.79 })
  fillRate: number | null;
}

export class PractitionerFiguresBookings {
  @ApiProperty({ type: 'integer', example: 17 })
  attended: number;

  @ApiProperty({ type: 'integer', example: 1 })
  noShow: number;
}

export class PractitionerFiguresAddOns {
  @ApiProperty({ type: 'integer', example: 6, description: 'majorations SNP payables cette semaine (20 au plus)' })
  payable: number;

  @ApiProperty({ type: 'integer', example: 6, description: 'RDV éligibles cette semaine' })
  eligible: number;
}

export class PractitionerFigures {
  @ApiProperty({ type: String, format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, example: 'Claire' })
  firstName: string;

  @ApiProperty({ type: String, example: 'Durand' })
  lastName: string;

  @ApiProperty({ enum: PROFESSIONS, example: 'general_practitioner' })
  profession: string;

  @ApiProperty({ type: PractitionerFiguresPractice })
  practice: PractitionerFiguresPractice;

  @ApiProperty({ type: PractitionerFiguresSlots, description: 'ses créneaux commençant dans la période' })
  slots: PractitionerFiguresSlots;

  @ApiProperty({ type: PractitionerFiguresBookings, description: 'les consultations de ces créneaux' })
  bookings: PractitionerFiguresBookings;

  @ApiProperty({ type: PractitionerFiguresAddOns, description: 'cette semaine (`week`), quelle que soit la période' })
  addOns: PractitionerFiguresAddOns;
}

export class PractitionersIndicatorsResponse {
  @ApiProperty({ type: String, format: 'date', example: '2026-11-01' })
  from: string;

  @ApiProperty({ type: String, format: 'date', example: '2026-11-30' })
  to: string;

  @ApiProperty({ type: String, format: 'uuid', description: 'la CPTS (toujours une)' })
  communityId: string;

  @ApiProperty({ type: String, example: '2026-W48', description: 'la semaine ISO en cours (heure de Paris), celle des majorations' })
  week: string;

  @ApiProperty({ type: [PractitionerFigures], description: 'tous les praticiens de la CPTS, par nom (sans limite)' })
  practitioners: PractitionerFigures[];
}

export const ADD_ON_REASONS = ['cancelled', 'not_regulated', 'not_attended', 'beyond_48h', 'own_patient'] as const;

export class AddOnBooking {
  @ApiProperty({ type: String, format: 'uuid' })
  bookingId: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T07:30:00.000Z', description: 'début du créneau' })
  start: string;

  @ApiProperty({ type: Boolean, example: true })
  eligible: boolean;

  @ApiPropertyOptional({ type: Boolean, example: true, description: 'éligible seulement : parmi les 20 premiers de la semaine' })
  payable?: boolean;

  @ApiPropertyOptional({ enum: ADD_ON_REASONS, description: 'non éligible seulement : la première raison qui s’applique' })
  reason?: string;
}

export class AddOnCounterResponse {
  @ApiProperty({ type: String, format: 'uuid' })
  practitionerId: string;

  @ApiProperty({ type: String, example: '2026-W48' })
  week: string;

  @ApiProperty({ type: 'integer', example: 20, description: 'majorations payables par semaine (NGAP art. 14.1.3)' })
  limit: number;

  @ApiProperty({ type: 'integer', example: 7 })
  eligible: number;

  @ApiProperty({ type: 'integer', example: 7 })
  payable: number;

  @ApiProperty({ type: 'integer', example: 0 })
  overLimit: number;

  @ApiProperty({ type: [AddOnBooking], description: 'les RDV sur ses créneaux de la semaine, par début' })
  bookings: AddOnBooking[];
}

/** Examples of the main answers. */
export const INDICATORS_EXAMPLE = {
  from: '2026-11-01',
  to: '2026-11-30',
  communityId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
  requests: { filed: 42, matched: 35, unmatched: 4, cancelled: 2, pending: 1, matchedWithin24h: 33 },
  bookings: { total: 206, byChannel: { secretary: 120, regulation: 48, matching: 35, coordination: 3 }, within24h: 190, attended: 170, noShow: 9, cancelled: 14 },
  slots: { published: 260, booked: 192, unused: 61, fillRate: 0.74 },
  practitioners: { members: 38, publishing: 21 },
  patients: { withoutReferringGp: 57 },
};

/** The same figures as GET /indicators?format=csv answers them (UTF-8 with BOM, `;`, CRLF, decimal comma). */
export const INDICATORS_CSV_EXAMPLE =
  '\uFEFFindicateur;libelle;valeur\r\nrequests.filed;Demandes SNP déposées;42\r\nrequests.matched;Demandes satisfaites (RDV trouvé);35\r\n' +
  '…\r\nslots.fillRate;Taux de remplissage des créneaux;0,74\r\npractitioners.members;Praticiens membres de la CPTS;38\r\n' +
  'practitioners.publishing;Praticiens ayant publié des créneaux;21\r\npatients.withoutReferringGp;RDV de patients sans médecin traitant;57\r\n';
