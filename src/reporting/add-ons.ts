/**
 * The SNP add-on (majoration « soins non programmés », NGAP art. 14.1.3): a GP who sees, within
 * 48 h, a patient referred by the regulation (SAMU / SAS) and not of their own patientèle may bill
 * it, at most 20 times a week. Our reading of it on our rows,
 * for one GP's ISO week (slot start, Paris time): a booking is eligible when the regulation made it
 * (channel `regulation`, or `matching` for a request a regulator filed), its outcome is `attended`,
 * its slot started at most 48 h after the referral (the booking, or the filing of the request the
 * engine booked), and the patient's médecin traitant is not this GP.
 */
export const ADD_ON_WEEKLY_LIMIT = 20;
export const ADD_ON_DELAY_HOURS = 48;

export type AddOnReason = 'cancelled' | 'not_attended' | 'not_regulated' | 'beyond_48h' | 'own_patient';

export interface AddOnRow {
  id: string;
  practitioner_id: string;
  gp_rpps: string;
  slot_starts_at: Date;
  created_at: Date;
  channel: string;
  status: string;
  patient_referring_gp_rpps: string | null;
  request_filed_by: string | null;
  /** When the regulator filed the request the engine booked (the referral), if any. */
  request_created_at: Date | null;
}

/** Why a booking is not eligible, the first reason that applies in this order; null when it is. */
export function addOnReason(b: AddOnRow): AddOnReason | null {
  if (b.status === 'cancelled') return 'cancelled';
  const regulated = b.channel === 'regulation' || (b.channel === 'matching' && b.request_filed_by === 'regulator');
  if (!regulated) return 'not_regulated';
  if (b.status !== 'attended') return 'not_attended';
  // From the referral: the booking, or the filing of the request the engine booked.
  const referredAt = b.request_created_at ?? b.created_at;
  if (b.slot_starts_at.getTime() - referredAt.getTime() > ADD_ON_DELAY_HOURS * 3_600_000) return 'beyond_48h';
  if (b.patient_referring_gp_rpps !== null && b.patient_referring_gp_rpps.trim() === b.gp_rpps.trim()) return 'own_patient';
  return null;
}

export interface AddOnCounter {
  practitionerId: string;
  week: string;
  limit: number;
  eligible: number;
  payable: number;
  overLimit: number;
  bookings: Array<{ bookingId: string; start: string; eligible: boolean; payable?: boolean; reason?: AddOnReason }>;
}

/** One GP's week from their bookings of that week, by slot start: the first 20 eligible are payable, the rest over the limit. */
export function addOnCounter(practitionerId: string, week: string, rows: AddOnRow[]): AddOnCounter {
  let eligible = 0;
  const bookings = [...rows]
    .sort((a, b) => a.slot_starts_at.getTime() - b.slot_starts_at.getTime() || a.id.localeCompare(b.id))
    .map((b) => {
      const reason = addOnReason(b);
      if (reason) return { bookingId: b.id, start: b.slot_starts_at.toISOString(), eligible: false, reason };
      eligible++;
      return { bookingId: b.id, start: b.slot_starts_at.toISOString(), eligible: true, payable: eligible <= ADD_ON_WEEKLY_LIMIT };
    });
  const payable = Math.min(eligible, ADD_ON_WEEKLY_LIMIT);
  return { practitionerId, week, limit: ADD_ON_WEEKLY_LIMIT, eligible, payable, overLimit: eligible - payable, bookings };
}

/**
 * The bookings of some GPs whose slot starts in a window, with what the rule reads (`$1` the GPs,
 * `$2`–`$3` the window): the GP's bookings by slot start (booking_practitioner_start_idx).
 */
export const ADD_ON_ROWS_SQL = `
  SELECT b.id, b.practitioner_id, pr.rpps AS gp_rpps, b.slot_starts_at, b.created_at, b.channel, b.status, b.patient_referring_gp_rpps,
         r.created_by_role AS request_filed_by, r.created_at AS request_created_at
    FROM booking b JOIN practitioner pr ON pr.id = b.practitioner_id
    LEFT JOIN snp_request r ON r.booking_id = b.id
   WHERE b.practitioner_id = ANY ($1::uuid[]) AND b.slot_starts_at >= $2 AND b.slot_starts_at < $3
   ORDER BY b.practitioner_id, b.slot_starts_at, b.id`;
