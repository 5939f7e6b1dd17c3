import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the national SAS platform's FHIR interface needs in our rows (docs/sas.md).
 *
 * - `community.finess`: the CPTS's number in the FINESS register (9 digits, the last a Luhn key),
 *   its Organization's identifier `1`+FINESS; unique.
 * - `practice.address_line`, `postcode`, `city`: the address as the SAS's Location carries it (one
 *   line, a 5-digit postcode, a city). Existing practices: split from `address` when it ends with
 *   « 28200 Châteaudun », else their commune's first postcode and its name.
 * - `practitioner.specialty`: the ordinal specialty (TRE_R38), SM54 for a GP.
 * - `slot.audiences`, `slot_template.audiences`: who may see and book a slot, `cpts` (the CPTS's
 *   member practices) and/or `regulation` (the 15 / SAS); never empty; both by default.
 * - `booking.origin`: `sas` when a regulator came from the SAS platform to book it.
 * - `app_user`: a regulator's names and the identity the SAS gave them (IDNPS, or the SAS's own
 *   UUID), unique among active accounts (a deactivated account's IDNPS may go to a new one).
 * - `sas_appointment_feed`: the outbox of the appointment feed; each row is one change of one
 *   appointment to report (`seq` orders the changes of a booking), written by the statement that
 *   changed the booking.
 */
export class SasInteroperability1765065600000 implements MigrationInterface {
  name = 'SasInteroperability1765065600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE community ADD COLUMN finess char(9) CHECK (finess ~ '^[0-9]{9}$')`);
    await q.query(`CREATE UNIQUE INDEX community_finess_uq ON community (finess) WHERE finess IS NOT NULL`);

    await q.query(`
      ALTER TABLE practice
        ADD COLUMN address_line text,
        ADD COLUMN postcode     varchar(5) CHECK (postcode ~ '^[0-9]{5}$'),
        ADD COLUMN city         text`);
    await q.query(`
      UPDATE practice p SET
        address_line = coalesce(nullif(trim(both ' ,' FROM substring(p.address FROM '^(.*?)[ ,]+[0-9]{5} +[^,0-9][^,]*$')), ''), p.address),
        postcode = coalesce(substring(p.address FROM '([0-9]{5}) +[^,0-9][^,]*$'), c.postcodes[1]),
        city = coalesce(trim(substring(p.address FROM '[0-9]{5} +([^,0-9][^,]*)$')), c.name)
       FROM commune c WHERE c.code = p.commune_code`);
    await q.query(`ALTER TABLE practice ALTER COLUMN address_line SET NOT NULL, ALTER COLUMN city SET NOT NULL`);

    await q.query(`ALTER TABLE practitioner ADD COLUMN specialty varchar(8) CHECK (specialty ~ '^SM[0-9]{2}$')`);
    await q.query(`UPDATE practitioner SET specialty = CASE profession WHEN 'general_practitioner' THEN 'SM54' WHEN 'pediatrician' THEN 'SM40' END`);

    for (const table of ['slot', 'slot_template']) {
      await q.query(`
        ALTER TABLE ${table} ADD COLUMN audiences text[] NOT NULL DEFAULT '{cpts,regulation}'
          CONSTRAINT ${table}_audiences_check CHECK (cardinality(audiences) > 0 AND audiences <@ '{cpts,regulation}'::text[])`);
    }

    await q.query(`ALTER TABLE booking ADD COLUMN origin text CHECK (origin IN ('sas'))`);

    await q.query(`
      ALTER TABLE app_user
        ADD COLUMN first_name     text,
        ADD COLUMN last_name      text,
        ADD COLUMN sas_id_system  text CHECK (sas_id_system IN ('urn:oid:1.2.250.1.71.4.2.1', 'urn:oid:1.2.250.1.213.3.6')),
        ADD COLUMN sas_id_value   text,
        ADD CONSTRAINT app_user_sas_id_check CHECK ((sas_id_system IS NULL) = (sas_id_value IS NULL))`);
    await q.query(`CREATE UNIQUE INDEX app_user_sas_id_uq ON app_user (sas_id_system, sas_id_value) WHERE sas_id_value IS NOT NULL AND active`);
    await q.query(`CREATE INDEX app_user_sas_id_idx ON app_user (sas_id_system, sas_id_value) WHERE sas_id_value IS NOT NULL`);

    await q.query(`
      CREATE TABLE sas_appointment_feed (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq                 bigserial NOT NULL,
        booking_id          uuid NOT NULL REFERENCES booking(id),
        appointment_status  text NOT NULL CHECK (appointment_status IN ('booked', 'fulfilled', 'noshow', 'cancelled')),
        status              text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
        attempts            integer NOT NULL DEFAULT 0,
        claimed_until       timestamptz,
        claim_token         uuid,
        http_status         integer,
        last_error          text,
        created_at          timestamptz NOT NULL DEFAULT now(),
        sent_at             timestamptz,
        status_changed_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sas_feed_booking_idx ON sas_appointment_feed (booking_id, seq)`);
    await q.query(`CREATE INDEX sas_feed_queued_idx ON sas_appointment_feed (created_at) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX sas_feed_created_idx ON sas_appointment_feed (created_at)`);

    // The holder's view of a slot joins its audiences: the plpgsql hold takes who is asking.
    await q.query(`DROP FUNCTION hold_slot(uuid, integer, uuid, uuid, text, text, integer)`);
    await q.query(`
      CREATE FUNCTION hold_slot(p_slot uuid, p_seconds integer, p_user uuid, p_key uuid, p_role text, p_ip text, p_max integer,
                                p_audience text, p_practice uuid, p_community uuid)
      RETURNS TABLE (hold_token uuid, hold_expires_at timestamptz, live integer) LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        holder uuid := coalesce(p_user, p_key);
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended(holder::text, 727003));
        SELECT count(*)::int INTO live FROM slot h
         WHERE coalesce(h.held_by_user_id, h.held_by_api_key_id) = holder AND h.status = 'held' AND h.hold_expires_at > now();
        IF live >= p_max THEN
          RETURN NEXT;
          RETURN;
        END IF;
        UPDATE slot s SET status = 'held', hold_token = gen_random_uuid(), hold_expires_at = now() + make_interval(secs => p_seconds),
               held_by_user_id = p_user, held_by_api_key_id = p_key, updated_at = now()
         WHERE s.id = p_slot AND s.starts_at > now() AND (s.status = 'free' OR (s.status = 'held' AND s.hold_expires_at < now()))
           AND (p_audience IS NULL OR s.practice_id = p_practice OR (p_audience = ANY (s.audiences)
                AND (p_community IS NULL OR EXISTS (SELECT 1 FROM practice hp WHERE hp.id = s.practice_id AND hp.community_id = p_community))))
        RETURNING s.hold_token, s.hold_expires_at INTO hold_token, hold_expires_at;
        IF hold_token IS NOT NULL THEN
          INSERT INTO audit_event (actor_user_id, actor_api_key_id, actor_role, ip, action, entity, entity_id)
          VALUES (p_user, p_key, p_role, p_ip, 'hold', 'slot', p_slot);
        END IF;
        RETURN NEXT;
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS hold_slot(uuid, integer, uuid, uuid, text, text, integer, text, uuid, uuid)`);
    await q.query(`DROP TABLE IF EXISTS sas_appointment_feed`);
    await q.query(`DROP INDEX IF EXISTS app_user_sas_id_idx`);
    await q.query(`DROP INDEX IF EXISTS app_user_sas_id_uq`);
    await q.query(`ALTER TABLE app_user DROP CONSTRAINT IF EXISTS app_user_sas_id_check, DROP COLUMN IF EXISTS sas_id_value, DROP COLUMN IF EXISTS sas_id_system, DROP COLUMN IF EXISTS last_name, DROP COLUMN IF EXISTS first_name`);
    await q.query(`ALTER TABLE booking DROP COLUMN IF EXISTS origin`);
    await q.query(`ALTER TABLE slot_template DROP COLUMN IF EXISTS audiences`);
    await q.query(`ALTER TABLE slot DROP COLUMN IF EXISTS audiences`);
    await q.query(`ALTER TABLE practitioner DROP COLUMN IF EXISTS specialty`);
    await q.query(`ALTER TABLE practice DROP COLUMN IF EXISTS city, DROP COLUMN IF EXISTS postcode, DROP COLUMN IF EXISTS address_line`);
    await q.query(`DROP INDEX IF EXISTS community_finess_uq`);
    await q.query(`ALTER TABLE community DROP COLUMN IF EXISTS finess`);
  }
}
