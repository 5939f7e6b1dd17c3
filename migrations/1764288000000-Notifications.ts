import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages to patients, practices and the people who filed requests. A row is written by the same
 * statement (hence transaction) as the event that causes it; its BullMQ job (job id = row id) is
 * added after commit, and a reconciler re-adds the jobs of rows still queued. One message per
 * event, audience and template (unique index): however often an event is replayed, it is told once.
 *
 * Who is told on the practice side, and how (SQL functions, so every statement agrees):
 * - receiving side of a booking: the GP's own account e-mail, else a secretary of the practice,
 *   else the practice phone by SMS when it is a mobile;
 * - originator of a request: the e-mail of the account that filed it, else a secretary of the
 *   filing practice, else that practice's mobile;
 * - nobody of these: a recipient-less row is written `failed` ("aucun destinataire"), so the
 *   coordination sees in GET /notifications?status=failed whom nobody told.
 */
export class Notifications1764288000000 implements MigrationInterface {
  name = 'Notifications1764288000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        template           text NOT NULL CHECK (template IN ('booking_confirmed_patient','booking_confirmed_practice','booking_cancelled_patient',
                                                             'booking_cancelled_practice','booking_reminder_patient','request_unmatched_originator')),
        audience           text NOT NULL CHECK (audience IN ('patient','practice','originator')),
        channel            text NOT NULL CHECK (channel IN ('sms','email')),
        recipient          text,
        booking_id         uuid REFERENCES booking(id),
        request_id         uuid REFERENCES snp_request(id),
        status             text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','sent','failed','cancelled')),
        attempts           integer NOT NULL DEFAULT 0,
        send_at            timestamptz NOT NULL DEFAULT now(),
        claimed_until      timestamptz,
        claim_token        uuid,
        provider           text,
        provider_id        text,
        segments           smallint,
        last_error         text,
        created_at         timestamptz NOT NULL DEFAULT now(),
        sent_at            timestamptz,
        status_changed_at  timestamptz NOT NULL DEFAULT now(),
        CHECK ((booking_id IS NULL) <> (request_id IS NULL)),
        CHECK (recipient IS NOT NULL OR status IN ('failed', 'cancelled'))
      ) WITH (fillfactor = 70)`);
    await q.query(`CREATE UNIQUE INDEX notification_once_uq ON notification (coalesce(booking_id, request_id), template)`);
    await q.query(`CREATE INDEX notification_queued_idx ON notification (send_at) WHERE status = 'queued'`);
    // Failed messages are the ones looked for by status; sent ones, the bulk, stay out of it.
    await q.query(`CREATE INDEX notification_failed_idx ON notification (created_at) WHERE status = 'failed'`);
    await q.query(`CREATE INDEX app_user_practitioner_idx ON app_user (practitioner_id) WHERE practitioner_id IS NOT NULL`);
    await q.query(`CREATE INDEX app_user_practice_idx ON app_user (practice_id) WHERE practice_id IS NOT NULL`);

    // A number an SMS can reach: a mobile of metropolitan France (06, 07) or of the overseas
    // departments (Réunion and Mayotte 0692/0693/0639, Guadeloupe 0690, Guyane 0694, Martinique
    // 0696; Saint-Pierre, Wallis, Nouvelle-Calédonie, Polynésie mobiles), or a number of another
    // country (whose landlines we cannot tell apart: their SMS would fail visibly). French
    // landlines, 08 and 09 numbers: no SMS.
    await q.query(`
      CREATE FUNCTION sms_reachable(phone text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
        SELECT phone ~ '^\\+(33[67]|262(69[23]|639)|590690|594694|596696|50855|6818[23]|687[789]|6898[79])'
            OR phone !~ '^\\+(33|262|590|594|596|508|681|687|689)'
      $$`);
    await q.query(`
      CREATE FUNCTION practice_contact(p_practitioner uuid, p_practice uuid) RETURNS TABLE (channel text, recipient text)
      LANGUAGE sql STABLE AS $$
        SELECT c.channel, c.recipient FROM (
          SELECT 1 AS rank, 'email' AS channel, u.email AS recipient, u.created_at FROM app_user u WHERE u.practitioner_id = p_practitioner AND u.role = 'gp'
          UNION ALL
          SELECT 2, 'email', u.email, u.created_at FROM app_user u WHERE u.practice_id = p_practice AND u.role = 'secretary'
          UNION ALL
          SELECT 3, 'sms', p.phone, p.created_at FROM practice p WHERE p.id = p_practice AND sms_reachable(p.phone)
          UNION ALL
          SELECT 9, 'email', NULL, NULL  -- nobody to tell: the row is written failed, for the coordination to see
        ) c ORDER BY c.rank, c.created_at LIMIT 1
      $$`);
    // The filer's own account, else whoever the filing practice is reached by (no GP to prefer there).
    await q.query(`
      CREATE FUNCTION originator_contact(p_user uuid, p_practice uuid) RETURNS TABLE (channel text, recipient text)
      LANGUAGE sql STABLE AS $$
        SELECT c.channel, c.recipient FROM (
          SELECT 1 AS rank, 'email' AS channel, u.email AS recipient FROM app_user u WHERE u.id = p_user
          UNION ALL
          SELECT 2, pc.channel, pc.recipient FROM practice_contact(NULL, p_practice) pc
        ) c ORDER BY c.rank LIMIT 1
      $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS notification`);
    await q.query(`DROP FUNCTION IF EXISTS originator_contact(uuid, uuid)`);
    await q.query(`DROP FUNCTION IF EXISTS practice_contact(uuid, uuid)`);
    await q.query(`DROP FUNCTION IF EXISTS sms_reachable(text)`);
    await q.query(`DROP INDEX IF EXISTS app_user_practice_idx`);
    await q.query(`DROP INDEX IF EXISTS app_user_practitioner_idx`);
  }
}
