/**
 * The SQL that writes notification rows inside the statements of the events that cause them, so a
 * message exists if and only if its event committed. Each CTE answers `id, send_at` of the rows it
 * wrote; ON CONFLICT DO NOTHING (notification_once_uq) makes a replayed event tell no one twice.
 * Recipients: the patient by SMS when their phone can receive one; the practice side through the
 * SQL functions of migration Notifications (GP's e-mail, else a secretary's, else a mobile).
 */

/** The `{id, sendAt}` list of the rows a CTE named `cte` wrote, as one JSON column. */
export const queuedJson = (cte: string) => `(SELECT coalesce(json_agg(json_build_object('id', id, 'sendAt', send_at)), '[]') FROM ${cte} WHERE status = 'queued')`;

/** A contact's row: queued, or failed at once when there is nobody to tell. */
const STATUS_OF = (recipient: string) => `CASE WHEN ${recipient} IS NULL THEN 'failed' ELSE 'queued' END`;
const ERROR_OF = (recipient: string) =>
  `CASE WHEN ${recipient} IS NULL THEN 'aucun destinataire : ni compte, ni secrétariat, ni portable du cabinet' END`;

/**
 * A booking `b` confirmed or cancelled (`event`): the patient's SMS (when the phone can receive one)
 * and the practice side's message, as CTE `nt`. `from` names the booking `b` and its slot `slot`;
 * `chargedTo`, the account whose action it is (its message budget pays).
 */
const bookingNoticeRows = (event: 'confirmed' | 'cancelled', from: string, slot: string, chargedTo: string, where = '') => `nt AS (
    INSERT INTO notification (template, audience, channel, recipient, booking_id, status, last_error, charged_to)
    SELECT x.template, x.audience, x.channel, x.recipient, b.id, ${STATUS_OF('x.recipient')}, ${ERROR_OF('x.recipient')}, ${chargedTo}
      FROM ${from}
      CROSS JOIN LATERAL (
        SELECT 'booking_${event}_patient', 'patient', 'sms', b.patient_phone::text WHERE sms_reachable(b.patient_phone)
        UNION ALL
        SELECT 'booking_${event}_practice', 'practice', c.channel, c.recipient FROM practice_contact(${slot}.practitioner_id, ${slot}.practice_id) c
      ) x(template, audience, channel, recipient)${where}
    ON CONFLICT DO NOTHING
    RETURNING id, send_at, status)`;

/**
 * Booking confirmed: the patient's SMS and the receiving practice's message. Sees the new booking
 * as `b` and the taken slot as `taken` (the booking statement's CTEs). The reminder is not written
 * here but when it comes due (REMINDERS_DUE_SQL), so a booking pays for two rows and two jobs, and
 * Redis holds no job for every booking of the week.
 */
/** The account that made booking `b` (a user or an API key). */
const BOOKING_AUTHOR = 'coalesce(b.booked_by_user_id, b.booked_by_api_key_id)';

export const bookingConfirmedRows = bookingNoticeRows('confirmed', 'b JOIN taken ON taken.id = b.slot_id', 'taken', BOOKING_AUTHOR);

/**
 * Reminders coming due: for each confirmed booking whose slot starts within the lead (`$1`
 * seconds) plus `$2` seconds from now, booked when the slot was further away than the lead, the
 * patient's reminder, due `$1` seconds before the slot. Runs missed (workers or Redis down) make
 * reminders late rather than lost, down to half the lead before the slot. Run every minute with a horizon longer than a minute: each
 * reminder is written once (unique index) and its job delayed to the exact time.
 */
export const REMINDERS_DUE_SQL = `
  WITH nt AS (
    INSERT INTO notification (template, audience, channel, recipient, booking_id, send_at, charged_to)
    SELECT 'booking_reminder_patient', 'patient', 'sms', b.patient_phone, b.id, s.starts_at - $1::int * interval '1 second', ${BOOKING_AUTHOR}
      FROM slot s JOIN booking b ON b.slot_id = s.id AND b.status = 'confirmed'
     WHERE s.starts_at > now() + ($1::int / 2) * interval '1 second' AND s.starts_at <= now() + ($1::int + $2::int) * interval '1 second'
       AND s.status = 'booked' AND b.created_at < s.starts_at - $1::int * interval '1 second' AND sms_reachable(b.patient_phone)
    ON CONFLICT DO NOTHING
    RETURNING id, send_at, status)
  SELECT ${queuedJson('nt')} AS notifications`;

/**
 * Booking `$1` cancelled by account `$2`: its messages still waiting (a reminder, a confirmation the provider has
 * not taken yet) are withdrawn, and both sides are told (when the slot is still ahead: a past
 * appointment cancelled for the record tells no one). A confirmation being sent at this very
 * moment goes out, followed by the cancellation.
 */
export const BOOKING_CANCELLED_SQL = `
  WITH withdrawn AS (
    UPDATE notification SET status = 'cancelled', status_changed_at = now()
     WHERE booking_id = $1 AND template IN ('booking_reminder_patient', 'booking_confirmed_patient', 'booking_confirmed_practice')
       AND status = 'queued' AND (claimed_until IS NULL OR claimed_until < now())
  ), ${bookingNoticeRows('cancelled', 'booking b JOIN slot s ON s.id = b.slot_id', 's', '$2::uuid', '\n     WHERE b.id = $1 AND s.starts_at > now()')}
  SELECT ${queuedJson('nt')} AS notifications`;

/**
 * Requests that turned unmatched (a CTE `u` answering `id, created_by_user_id, created_by_api_key_id,
 * created_by_practice_id`): their originators are told, on the filer's budget.
 */
export const requestUnmatchedRows = `nt AS (
    INSERT INTO notification (template, audience, channel, recipient, request_id, status, last_error, charged_to)
    SELECT 'request_unmatched_originator', 'originator', c.channel, c.recipient, u.id, ${STATUS_OF('c.recipient')}, ${ERROR_OF('c.recipient')},
           coalesce(u.created_by_user_id, u.created_by_api_key_id)
      FROM u CROSS JOIN LATERAL originator_contact(u.created_by_user_id, u.created_by_practice_id) c
    ON CONFLICT DO NOTHING
    RETURNING id, send_at, status)`;
