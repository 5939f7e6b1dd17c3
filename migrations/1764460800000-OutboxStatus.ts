import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message written to the local outbox file (no SMS or e-mail provider configured) reached nobody:
 * it is recorded `outbox`, never `sent`, so nobody takes a demo set-up for a working one.
 */
export class OutboxStatus1764460800000 implements MigrationInterface {
  name = 'OutboxStatus1764460800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification DROP CONSTRAINT IF EXISTS notification_status_check`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_status_check CHECK (status IN ('queued','sent','outbox','failed','cancelled'))`);
    await q.query(`UPDATE notification SET status = 'outbox' WHERE status = 'sent' AND provider = 'outbox'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE notification SET status = 'sent' WHERE status = 'outbox'`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT IF EXISTS notification_status_check`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_status_check CHECK (status IN ('queued','sent','failed','cancelled'))`);
  }
}
