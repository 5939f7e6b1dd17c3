/**
 * The SQL that writes notification rows inside the statements of the events that cause them, so a
 * message exists if and only if its event committed. Each CTE answers `id, send_at` of the rows it
 * wrote; ON CONFLICT DO NOTHING (notification_once_uq) makes a replayed event tell no one twice.
 * Recipients: the patient by SMS when their phone can receive one; the practice side through the
 * SQL functions of migration Notifications (GP's e-mail, else a secretary's, else a mobile).
 */

/**
 * Booking confirmed (patient SMS, receiving practice, and the patient's reminder `$lead` seconds
 * before the slot when the slot is further away than that). Sees the new booking as `b` and the
 * taken slot as `taken` (the booking statement's CTEs).
 */
export function bookingConfirmedRows(leadParam: string): string {
  return `nt AS (
    INSERT INTO notification (template, audience, channel, recipient, booking_id, send_at)
    SELECT x.template, x.audience, x.channel, x.recipient, b.id, x.send_at
      FROM b JOIN taken ON taken.id = b.slot_id
      CROSS JOIN LATERAL (
        SELECT 'booking_confirmed_patient', 'patient', 'sms', b.patient_phone::text, now() WHERE sms_reachable(b.patient_phone)
        UNION ALL
        SELECT 'booking_reminder_patient', 'patient', 'sms', b.patient_phone::text, taken.starts_at - ${leadParam}::int * interval '1 second'
         WHERE sms_reachable(b.patient_phone) AND taken.starts_at - ${leadParam}::int * interval '1 second' > now()
        UNION ALL
        SELECT 'booking_confirmed_practice', 'practice', c.channel, c.recipient, now() FROM practice_contact(taken.practitioner_id, taken.practice_id) c
      ) x(template, audience, channel, recipient, send_at)
    ON CONFLICT DO NOTHING
    RETURNING id, send_at)`;
}

/** The `{id, sendAt}` list of the rows a CTE named `cte` wrote, as one JSON column. */
export const queuedJson = (cte: string) => `(SELECT coalesce(json_agg(json_build_object('id', id, 'sendAt', send_at)), '[]') FROM ${cte})`;

/**
 * Booking `$1` cancelled: its waiting reminder is withdrawn, and both sides are told (when the
 * slot is still ahead: a past appointment cancelled for the record tells no one).
 */
export const BOOKING_CANCELLED_SQL = `
  WITH withdrawn AS (
    UPDATE notification SET status = 'cancelled', status_changed_at = now()
     WHERE booking_id = $1 AND template = 'booking_reminder_patient' AND status = 'queued'
  ), nt AS (
    INSERT INTO notification (template, audience, channel, recipient, booking_id)
    SELECT x.template, x.audience, x.channel, x.recipient, b.id
      FROM booking b JOIN slot s ON s.id = b.slot_id
      CROSS JOIN LATERAL (
        SELECT 'booking_cancelled_patient', 'patient', 'sms', b.patient_phone::text WHERE sms_reachable(b.patient_phone)
        UNION ALL
        SELECT 'booking_cancelled_practice', 'practice', c.channel, c.recipient FROM practice_contact(s.practitioner_id, s.practice_id) c
      ) x(template, audience, channel, recipient)
     WHERE b.id = $1 AND s.starts_at > now()
    ON CONFLICT DO NOTHING
    RETURNING id, send_at)
  SELECT ${queuedJson('nt')} AS notifications`;

/** Requests that turned unmatched (a CTE `u` answering `id, created_by_user_id, created_by_practice_id`): their originators are told. */
export const requestUnmatchedRows = `nt AS (
    INSERT INTO notification (template, audience, channel, recipient, request_id)
    SELECT 'request_unmatched_originator', 'originator', c.channel, c.recipient, u.id
      FROM u CROSS JOIN LATERAL originator_contact(u.created_by_user_id, u.created_by_practice_id) c
    ON CONFLICT DO NOTHING
    RETURNING id, send_at)`;
