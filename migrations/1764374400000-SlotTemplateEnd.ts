import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A template can be ended (`DELETE /slot-templates/:id`): it generates no more slots and is no
 * longer listed. A column of its own rather than `valid_until = yesterday`, which the CHECK
 * `valid_until >= valid_from` refuses for a template that starts today or later.
 */
export class SlotTemplateEnd1764374400000 implements MigrationInterface {
  name = 'SlotTemplateEnd1764374400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE slot_template ADD COLUMN IF NOT EXISTS ended_at timestamptz`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE slot_template DROP COLUMN IF EXISTS ended_at`);
  }
}
