import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A backup that restores: `pg_restore` runs with an empty search_path, and earthdistance's
 * `ll_to_earth` (a SQL function whose body names `earth` and `cube` unqualified, in earthdistance
 * 1.1 as PostgreSQL 15 and 16 ship it) failed the restore of `practice` at its generated column
 * (« type "earth" does not exist », found by test/deploy/backup-restore). The column now calls a function of ours that sets its own
 * search_path: never inlined, so its body is read only when a row is written, with `public`
 * (where the extensions are) on the path. Same values, same index.
 */
export class RestorablePracticeEarth1765497600000 implements MigrationInterface {
  name = 'RestorablePracticeEarth1765497600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION practice_earth_point(lat double precision, lon double precision) RETURNS cube
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = public
      AS $$ SELECT ll_to_earth(lat, lon) $$`);
    // PostgreSQL before 17 cannot change a generated column's expression: the column is made again.
    await q.query(`ALTER TABLE practice DROP COLUMN earth`);
    await q.query(`ALTER TABLE practice ADD COLUMN earth cube GENERATED ALWAYS AS (practice_earth_point(lat, lon)) STORED`);
    await q.query(`CREATE INDEX practice_earth_point_idx ON practice USING gist (earth)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE practice DROP COLUMN earth`);
    await q.query(`ALTER TABLE practice ADD COLUMN earth cube GENERATED ALWAYS AS (ll_to_earth(lat, lon)) STORED`);
    await q.query(`CREATE INDEX practice_earth_point_idx ON practice USING gist (earth)`);
    await q.query(`DROP FUNCTION practice_earth_point(double precision, double precision)`);
  }
}
