import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail a DPO can trust: who read or changed which record, from which address, chained
 * so that a row changed or deleted directly in the database shows.
 *
 * Rows are inserted without contention (by the statements that book, cancel, read…, so an event
 * exists if and only if its action committed). A sealer then gives each new row, in id order, its
 * place in the chain (`seq`), the previous row's hash (`prev_hash`) and its own
 * (`hash = sha256(prev_hash || its fields)`); `audit_chain` keeps the chain's two ends, so that
 * deleting the last rows shows too, and moves its start when old rows are deleted by retention.
 * Sealing runs every second in every process (serialised by the audit_chain row lock) and before
 * each verification: the seal lags an event by about a second. Retention deletes the oldest events
 * and records, as an event of the chain (`retention`, its `detail` naming the new start), where the
 * chain now starts: a start moved any other way shows in verification.
 */
export class AuditTrail1764633600000 implements MigrationInterface {
  name = 'AuditTrail1764633600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_event
        ADD COLUMN ip          text,
        ADD COLUMN entity_ids  uuid[],
        ADD COLUMN detail      text,
        ADD COLUMN seq         bigint,
        ADD COLUMN prev_hash   bytea,
        ADD COLUMN hash        bytea`);
    await q.query(`CREATE UNIQUE INDEX audit_event_seq_uq ON audit_event (seq)`);
    await q.query(`CREATE INDEX audit_event_unsealed_idx ON audit_event (id) WHERE seq IS NULL`);
    await q.query(`CREATE INDEX audit_event_at_idx ON audit_event (at)`);
    await q.query(`CREATE INDEX audit_event_actor_idx ON audit_event (actor_user_id, at) WHERE actor_user_id IS NOT NULL`);
    // A list read names every record it showed: "who read this booking" finds it there too.
    await q.query(`CREATE INDEX audit_event_entity_ids_idx ON audit_event USING gin (entity_ids) WHERE entity_ids IS NOT NULL`);

    await q.query(`
      CREATE TABLE audit_chain (
        id               smallint PRIMARY KEY CHECK (id = 1),
        first_seq        bigint NOT NULL,
        first_prev_hash  bytea NOT NULL,
        last_seq         bigint NOT NULL,
        last_hash        bytea NOT NULL
      )`);
    await q.query(`INSERT INTO audit_chain VALUES (1, 1, '\\x${'00'.repeat(32)}', 0, '\\x${'00'.repeat(32)}')`);

    // The fields an event's hash covers, in one canonical text (instants in UTC to the microsecond).
    await q.query(`
      CREATE FUNCTION audit_event_text(p_id bigint, p_seq bigint, p_at timestamptz, p_user uuid, p_key uuid, p_role text,
                                       p_action text, p_entity text, p_entity_id uuid, p_entity_ids uuid[], p_ip text, p_detail text)
      RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT concat_ws('|', p_id, p_seq, to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                         coalesce(p_user::text, ''), coalesce(p_key::text, ''), coalesce(p_role, ''), p_action, p_entity,
                         coalesce(p_entity_id::text, ''), coalesce(p_entity_ids::text, ''), coalesce(p_ip, ''), coalesce(p_detail, ''))
      $$`);
    await q.query(`
      CREATE FUNCTION audit_seal(p_max integer) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        r record;
        s bigint;
        h bytea;
        prev bytea;
        n integer := 0;
      BEGIN
        SELECT last_seq, last_hash INTO s, h FROM audit_chain WHERE id = 1 FOR UPDATE;
        FOR r IN SELECT * FROM audit_event WHERE seq IS NULL ORDER BY id LIMIT p_max LOOP
          s := s + 1;
          prev := h;
          h := sha256(prev || convert_to(audit_event_text(r.id, s, r.at, r.actor_user_id, r.actor_api_key_id, r.actor_role,
                                                        r.action, r.entity, r.entity_id, r.entity_ids, r.ip, r.detail), 'UTF8'));
          UPDATE audit_event SET seq = s, prev_hash = prev, hash = h WHERE id = r.id;
          n := n + 1;
        END LOOP;
        IF n > 0 THEN
          UPDATE audit_chain SET last_seq = s, last_hash = h WHERE id = 1;
        END IF;
        RETURN n;
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS audit_seal(integer)`);
    await q.query(`DROP FUNCTION IF EXISTS audit_event_text(bigint, bigint, timestamptz, uuid, uuid, text, text, text, uuid, uuid[], text, text)`);
    await q.query(`DROP TABLE IF EXISTS audit_chain`);
    for (const i of ['audit_event_entity_ids_idx', 'audit_event_actor_idx', 'audit_event_at_idx', 'audit_event_unsealed_idx', 'audit_event_seq_uq']) await q.query(`DROP INDEX IF EXISTS ${i}`);
    await q.query(`ALTER TABLE audit_event DROP COLUMN IF EXISTS ip, DROP COLUMN IF EXISTS entity_ids, DROP COLUMN IF EXISTS detail, DROP COLUMN IF EXISTS seq, DROP COLUMN IF EXISTS prev_hash, DROP COLUMN IF EXISTS hash`);
  }
}
