import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each message names the account (user or API key) whose action caused it: the booking's author
 * for a confirmation or a reminder, the canceller for a cancellation, the filer for an unmatched
 * request. Sending charges it to that account's hourly budget (and the deployment's); beyond, the
 * message is `failed` with `budget_exceeded`.
 */
export class MessageBudgets1764892800000 implements MigrationInterface {
  name = 'MessageBudgets1764892800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification ADD COLUMN charged_to uuid`);
    await q.query(`
      UPDATE notification n SET charged_to = coalesce(b.booked_by_user_id, b.booked_by_api_key_id) FROM booking b WHERE b.id = n.booking_id`);
    await q.query(`
      UPDATE notification n SET charged_to = coalesce(r.created_by_user_id, r.created_by_api_key_id) FROM snp_request r WHERE r.id = n.request_id`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification DROP COLUMN IF EXISTS charged_to`);
  }
}
