import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A request belongs to its filer's CPTS (a secretary's practice's, a coordinator's own); the
 * regulation's requests belong to none and are seen by the coordination of the CPTS where the
 * patient is or whose slot they got. Kept on the row, so the coordination's statements filter on it.
 */
export class RequestCommunity1764720000000 implements MigrationInterface {
  name = 'RequestCommunity1764720000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE snp_request ADD COLUMN created_by_community_id uuid REFERENCES community(id)`);
    await q.query(`UPDATE snp_request r SET created_by_community_id = p.community_id FROM practice p WHERE p.id = r.created_by_practice_id`);
    await q.query(`
      UPDATE snp_request r SET created_by_community_id = u.community_id FROM app_user u
       WHERE u.id = r.created_by_user_id AND r.created_by_community_id IS NULL AND u.community_id IS NOT NULL`);
    await q.query(`CREATE INDEX snp_request_community_idx ON snp_request (created_by_community_id, created_at) WHERE created_by_community_id IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE snp_request DROP COLUMN IF EXISTS created_by_community_id`);
  }
}
