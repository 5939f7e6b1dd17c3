import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search and matching measured faster (with the search now a prepared statement, 7 ms → 3 ms per
 * search on the benchmark territory):
 * - each practice's point on the earth is stored (a generated column), so the search does not
 *   recompute ll_to_earth(lat, lon) three times per nearby practice;
 * - practitioners by (practice, minimum patient age): the search asks each nearby practice which
 *   practitioners do not see a patient this young (an index-only scan) instead of joining every
 *   candidate slot to its practitioner. It also serves lookups by practice alone.
 */
export class SearchByStoredEarthPoint1764201600000 implements MigrationInterface {
  name = 'SearchByStoredEarthPoint1764201600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE practice ADD COLUMN earth cube GENERATED ALWAYS AS (ll_to_earth(lat, lon)) STORED`);
    await q.query(`CREATE INDEX practice_earth_point_idx ON practice USING gist (earth)`);
    await q.query(`DROP INDEX IF EXISTS practice_earth_idx`);
    await q.query(`CREATE INDEX practitioner_practice_age_idx ON practitioner (practice_id, min_patient_age_months) INCLUDE (id)`);
    await q.query(`DROP INDEX IF EXISTS practitioner_practice_idx`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS practitioner_practice_idx ON practitioner (practice_id)`);
    await q.query(`DROP INDEX IF EXISTS practitioner_practice_age_idx`);
    await q.query(`CREATE INDEX IF NOT EXISTS practice_earth_idx ON practice USING gist (ll_to_earth(lat, lon))`);
    await q.query(`ALTER TABLE practice DROP COLUMN IF EXISTS earth`);
  }
}
