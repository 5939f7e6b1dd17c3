import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A hold names its holder (the account or API key on the phone with the patient), so that one
 * account cannot hold a whole territory's slots (MAX_LIVE_HOLDS live holds each) and the audit
 * trail says who held what.
 */
export class SlotHolders1764806400000 implements MigrationInterface {
  name = 'SlotHolders1764806400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE slot ADD COLUMN held_by_user_id uuid REFERENCES app_user(id), ADD COLUMN held_by_api_key_id uuid REFERENCES api_key(id)`);
    await q.query(`CREATE INDEX slot_holder_idx ON slot ((coalesce(held_by_user_id, held_by_api_key_id)), hold_expires_at) WHERE status = 'held'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS slot_holder_idx`);
    await q.query(`ALTER TABLE slot DROP COLUMN IF EXISTS held_by_user_id, DROP COLUMN IF EXISTS held_by_api_key_id`);
  }
}
