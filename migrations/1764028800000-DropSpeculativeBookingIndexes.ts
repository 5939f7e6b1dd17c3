import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two booking indexes no query uses yet (reports will add what their measured queries need):
 * every booking paid for them on insert.
 */
export class DropSpeculativeBookingIndexes1764028800000 implements MigrationInterface {
  name = 'DropSpeculativeBookingIndexes1764028800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS booking_created_idx`);
    await q.query(`DROP INDEX IF EXISTS booking_booked_by_practice_idx`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS booking_booked_by_practice_idx ON booking (booked_by_practice_id, created_at)`);
    await q.query(`CREATE INDEX IF NOT EXISTS booking_created_idx ON booking (created_at)`);
  }
}
