/**
 * Anonymises the patients of bookings `$1` and requests `$2` in one statement: their identity
 * (names, birth date, phone, e-mail, reason, and the hash of the body that carried them) is
 * erased, what the coordination's figures count stays (status, channel, dates, commune, médecin
 * traitant; a request's status too, so the figures do not move: the engine books nothing more for
 * a request whose patient was erased, which turns unmatched at its deadline); their messages lose
 * the patient's number, and those not sent yet are withdrawn.
 * Already anonymised rows are left as they are. Answers how many rows of each changed.
 */
export const ANONYMISE_SQL = `
  WITH b AS (
    UPDATE booking SET patient_first_name = NULL, patient_last_name = NULL, patient_birth_date = NULL, patient_phone = NULL,
           patient_email = NULL, reason = NULL, cancel_reason = NULL, request_hash = NULL, anonymised_at = now()
     WHERE id = ANY($1::uuid[]) AND anonymised_at IS NULL
    RETURNING id
  ), r AS (
    UPDATE snp_request SET patient_first_name = NULL, patient_last_name = NULL, patient_birth_date = NULL, patient_phone = NULL,
           patient_email = NULL, reason = NULL, request_hash = NULL, anonymised_at = now()
     WHERE id = ANY($2::uuid[]) AND anonymised_at IS NULL
    RETURNING id
  ), n AS (
    UPDATE notification
       SET recipient = CASE WHEN audience = 'patient' THEN NULL ELSE recipient END,
           status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
           status_changed_at = CASE WHEN status = 'queued' THEN now() ELSE status_changed_at END,
           anonymised_at = now()
     WHERE (booking_id = ANY($1::uuid[]) OR request_id = ANY($2::uuid[])) AND anonymised_at IS NULL
    RETURNING id
  )
  SELECT (SELECT count(*) FROM b)::int AS bookings, (SELECT count(*) FROM r)::int AS requests, (SELECT count(*) FROM n)::int AS notifications`;
