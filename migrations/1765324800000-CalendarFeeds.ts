import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A GP's calendar feed (iCalendar, for their own agenda software): one secret URL per practitioner,
 * of which only the SHA-256 of its token is kept. Asking for a new one replaces the row: the old
 * URL then answers 404.
 */
export class CalendarFeeds1765324800000 implements MigrationInterface {
  name = 'CalendarFeeds1765324800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_feed (
        practitioner_id uuid PRIMARY KEY REFERENCES practitioner(id),
        token_hash char(64) NOT NULL UNIQUE,
        created_by_user_id uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_feed`);
  }
}
