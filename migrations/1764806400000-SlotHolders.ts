import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A hold names its holder (the account or API key on the phone with the patient), so that one
 * account cannot hold a whole territory's slots (MAX_LIVE_HOLDS live holds each) and the audit
 * trail says who held what.
 *
 * `hold_slot()` holds in one round trip and without a race: it takes a lock of the holder for the
 * transaction, then counts the holder's live holds with a fresh snapshot (each statement of a
 * plpgsql function sees what committed before it), so two holds of one account at once are
 * counted one after the other; the hold and its audit event are written by the same call.
 */
export class SlotHolders1764806400000 implements MigrationInterface {
  name = 'SlotHolders1764806400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE slot ADD COLUMN held_by_user_id uuid REFERENCES app_user(id), ADD COLUMN held_by_api_key_id uuid REFERENCES api_key(id)`);
    await q.query(`CREATE INDEX slot_holder_idx ON slot ((coalesce(held_by_user_id, held_by_api_key_id)), hold_expires_at) WHERE status = 'held'`);
    await q.query(`
      CREATE FUNCTION hold_slot(p_slot uuid, p_seconds integer, p_user uuid, p_key uuid, p_role text, p_ip text, p_max integer)
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
        RETURNING s.hold_token, s.hold_expires_at INTO hold_token, hold_expires_at;
        IF hold_token IS NOT NULL THEN
          INSERT INTO audit_event (actor_user_id, actor_api_key_id, actor_role, ip, action, entity, entity_id)
          VALUES (p_user, p_key, p_role, p_ip, 'hold', 'slot', p_slot);
        END IF;
        RETURN NEXT;
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS hold_slot(uuid, integer, uuid, uuid, text, text, integer)`);
    await q.query(`DROP INDEX IF EXISTS slot_holder_idx`);
    await q.query(`ALTER TABLE slot DROP COLUMN IF EXISTS held_by_user_id, DROP COLUMN IF EXISTS held_by_api_key_id`);
  }
}
