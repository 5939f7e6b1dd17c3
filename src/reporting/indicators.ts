import { Period } from './period';

/**
 * The coordination's figures (README, « Indicators »), each counted by one statement over the rows
 * themselves — no summary, so always exact. A CPTS's figures are index ranges of that CPTS's rows
 * (bookings by `community_id, created_at`; slots by practice and start; requests by filer, commune
 * or booking), however many CPTS the deployment holds. Each statement exists scoped (`$3` = the
 * CPTS: the caller's own for a coordinator, in the statement itself) and for all CPTS together
 * (admins), and per ISO week (Paris) for the weekly series; `$1`, `$2` = the period's instants.
 */

const weekColumn = (column: string) => `to_char(date_trunc('week', ${column} AT TIME ZONE 'Europe/Paris'), 'YYYY-MM-DD') AS week,`;

export interface Variant {
  /** The CPTS is `$3` (else every CPTS). */
  scoped: boolean;
  /** One row per ISO week (its Monday, `week`), else one row. */
  weekly: boolean;
}

export function bookingsSql(v: Variant): string {
  return `
    SELECT ${v.weekly ? weekColumn('b.created_at') : ''}
           count(*)::int AS total,
           count(*) FILTER (WHERE b.channel = 'secretary')::int AS secretary,
           count(*) FILTER (WHERE b.channel = 'regulation')::int AS regulation,
           count(*) FILTER (WHERE b.channel = 'matching')::int AS matching,
           count(*) FILTER (WHERE b.channel = 'coordination')::int AS coordination,
           count(*) FILTER (WHERE b.slot_starts_at <= b.created_at + interval '24 hours')::int AS within_24h,
           count(*) FILTER (WHERE b.status = 'attended')::int AS attended,
           count(*) FILTER (WHERE b.status = 'no_show')::int AS no_show,
           count(*) FILTER (WHERE b.status = 'cancelled')::int AS cancelled,
           count(*) FILTER (WHERE b.patient_has_referring_gp = false)::int AS without_referring_gp
      FROM booking b
     WHERE b.created_at >= $1 AND b.created_at < $2 ${v.scoped ? 'AND b.community_id = $3' : ''}
     ${v.weekly ? 'GROUP BY 1' : ''}`;
}

export function slotsSql(v: Variant): string {
  return `
    SELECT ${v.weekly ? weekColumn('s.starts_at') : ''}
           count(*) FILTER (WHERE s.status <> 'cancelled')::int AS published,
           count(*) FILTER (WHERE s.status = 'booked')::int AS booked,
           count(*) FILTER (WHERE s.status IN ('free', 'held') AND s.starts_at <= now())::int AS unused,
           count(DISTINCT s.practitioner_id) FILTER (WHERE s.status <> 'cancelled')::int AS publishing
      FROM slot s
     WHERE s.starts_at >= $1 AND s.starts_at < $2 ${v.scoped ? 'AND s.practice_id IN (SELECT id FROM practice WHERE community_id = $3)' : ''}
     ${v.weekly ? 'GROUP BY 1' : ''}`;
}

/**
 * A CPTS's requests: filed by its members, or the regulation's located in its communes or matched
 * to one of its slots (the coordination's scope of requests), each once; each branch an index range
 * (the last through the CPTS's bookings made by the engine: booking_matching_community_idx).
 */
const SCOPED_REQUESTS = `
  WITH r AS (
    SELECT r.id, r.status, r.created_at, r.booking_id FROM snp_request r
     WHERE r.created_by_community_id = $3 AND r.created_at >= $1 AND r.created_at < $2
    UNION
    SELECT r.id, r.status, r.created_at, r.booking_id FROM snp_request r
     WHERE r.created_by_role = 'regulator' AND r.created_at >= $1 AND r.created_at < $2
       AND r.location_commune_code = ANY ((SELECT c.commune_codes FROM community c WHERE c.id = $3)::text[])
    UNION
    SELECT r.id, r.status, r.created_at, r.booking_id FROM booking mb
     CROSS JOIN LATERAL (SELECT x.id, x.status, x.created_at, x.booking_id FROM snp_request x
                          WHERE x.booking_id = mb.id AND x.created_by_role = 'regulator' AND x.created_at >= $1 AND x.created_at < $2 LIMIT 1) r
     WHERE mb.community_id = $3 AND mb.channel = 'matching' AND mb.created_at >= $1)
  `;

export function requestsSql(v: Variant): string {
  return `
    ${v.scoped ? SCOPED_REQUESTS : ''}
    SELECT ${v.weekly ? weekColumn('r.created_at') : ''}
           count(*)::int AS filed,
           count(*) FILTER (WHERE r.status = 'matched')::int AS matched,
           count(*) FILTER (WHERE r.status = 'unmatched')::int AS unmatched,
           count(*) FILTER (WHERE r.status = 'cancelled')::int AS cancelled,
           count(*) FILTER (WHERE r.status = 'pending')::int AS pending,
           count(*) FILTER (WHERE r.status = 'matched' AND b.slot_starts_at <= r.created_at + interval '24 hours')::int AS matched_within_24h
      FROM ${v.scoped ? 'r' : 'snp_request r'}
      LEFT JOIN booking b ON b.id = r.booking_id AND r.status = 'matched'
     ${v.scoped ? '' : 'WHERE r.created_at >= $1 AND r.created_at < $2'}
     ${v.weekly ? 'GROUP BY 1' : ''}`;
}

/** The CPTS's practitioners (members now): `$1` the CPTS, or every practitioner. */
export const membersSql = (scoped: boolean) =>
  scoped ? `SELECT count(*)::int AS members FROM practitioner pr JOIN practice p ON p.id = pr.practice_id WHERE p.community_id = $1` : `SELECT count(*)::int AS members FROM practitioner`;

export interface Counters {
  requests: { filed: number; matched: number; unmatched: number; cancelled: number; pending: number; matchedWithin24h: number };
  bookings: {
    total: number;
    byChannel: { secretary: number; regulation: number; matching: number; coordination: number };
    within24h: number;
    attended: number;
    noShow: number;
    cancelled: number;
  };
  slots: { published: number; booked: number; unused: number; fillRate: number | null };
  practitioners: { members: number; publishing: number };
  patients: { withoutReferringGp: number };
}

const ZERO_REQUESTS = { filed: 0, matched: 0, unmatched: 0, cancelled: 0, pending: 0, matched_within_24h: 0 };
const ZERO_BOOKINGS = { total: 0, secretary: 0, regulation: 0, matching: 0, coordination: 0, within_24h: 0, attended: 0, no_show: 0, cancelled: 0, without_referring_gp: 0 };
const ZERO_SLOTS = { published: 0, booked: 0, unused: 0, publishing: 0 };

/** A share as the figures give it: two decimals, null when nothing was counted. */
export const share = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 100) / 100 : null);

/** The counters of the contract from the statements' rows (absent rows: zeros). */
export function counters(requests: any = ZERO_REQUESTS, bookings: any = ZERO_BOOKINGS, slots: any = ZERO_SLOTS, members: number): Counters {
  return {
    requests: {
      filed: requests.filed, matched: requests.matched, unmatched: requests.unmatched, cancelled: requests.cancelled, pending: requests.pending,
      matchedWithin24h: requests.matched_within_24h,
    },
    bookings: {
      total: bookings.total,
      byChannel: { secretary: bookings.secretary, regulation: bookings.regulation, matching: bookings.matching, coordination: bookings.coordination },
      within24h: bookings.within_24h,
      attended: bookings.attended,
      noShow: bookings.no_show,
      cancelled: bookings.cancelled,
    },
    slots: { published: slots.published, booked: slots.booked, unused: slots.unused, fillRate: share(slots.booked, slots.published) },
    practitioners: { members, publishing: slots.publishing },
    patients: { withoutReferringGp: bookings.without_referring_gp },
  };
}

/** Every counter's dotted path and its French label, in the order the CSV and the dashboard show them. */
export const LABELS: Array<[string, string]> = [
  ['requests.filed', 'Demandes SNP déposées'],
  ['requests.matched', 'Demandes satisfaites (RDV trouvé)'],
  ['requests.unmatched', 'Demandes restées sans créneau'],
  ['requests.cancelled', 'Demandes annulées'],
  ['requests.pending', 'Demandes en attente'],
  ['requests.matchedWithin24h', 'Demandes satisfaites par un RDV dans les 24 h'],
  ['bookings.total', 'RDV SNP pris'],
  ['bookings.byChannel.secretary', 'RDV pris par un secrétariat'],
  ['bookings.byChannel.regulation', 'RDV pris par la régulation'],
  ['bookings.byChannel.matching', 'RDV pris par le moteur (demandes)'],
  ['bookings.byChannel.coordination', 'RDV pris par la coordination'],
  ['bookings.within24h', 'RDV dans les 24 h suivant la prise'],
  ['bookings.attended', 'RDV honorés'],
  ['bookings.noShow', 'Patients non venus'],
  ['bookings.cancelled', 'RDV annulés'],
  ['slots.published', 'Créneaux SNP publiés'],
  ['slots.booked', 'Créneaux réservés'],
  ['slots.unused', 'Créneaux passés sans patient'],
  ['slots.fillRate', 'Taux de remplissage des créneaux'],
  ['practitioners.members', 'Praticiens membres de la CPTS'],
  ['practitioners.publishing', 'Praticiens ayant publié des créneaux'],
  ['patients.withoutReferringGp', 'RDV de patients sans médecin traitant'],
];

/** A value at a dotted path. */
export const at = (o: unknown, path: string): unknown => path.split('.').reduce((v: any, k) => v?.[k], o);

/** `0.67` → `0,67` (a French spreadsheet's decimal comma); integers as they are; nothing for null. */
export const frenchNumber = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'number' && !Number.isInteger(v) ? String(v).replace('.', ',') : String(v));

export type { Period };
