import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The engine's bookings of a CPTS by creation, with their id: the coordination's figures find the
 * regulation's requests matched to the CPTS's slots from them without reading each booking
 * (measured by the benchmark's reporting phase: 1.3 s of a CPTS's year went to those reads).
 */
export class ReportingMatchingIndex1765411200000 implements MigrationInterface {
  name = 'ReportingMatchingIndex1765411200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX booking_matching_community_idx ON booking (community_id, created_at) INCLUDE (id) WHERE channel = 'matching'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX booking_matching_community_idx`);
  }
}
