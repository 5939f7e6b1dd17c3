import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A patient's identity (names, birth date, phone, e-mail, reason) can be anonymised: on request
 * (right to erasure) or PATIENT_DATA_RETENTION_DAYS after the consultation or the request's
 * deadline. The row stays, with what the coordination's figures count (status, channel, dates,
 * commune, médecin traitant), and `anonymised_at` says when its identity went. Messages to the
 * patient lose their recipient likewise.
 */
export class PatientDataRetention1764979200000 implements MigrationInterface {
  name = 'PatientDataRetention1764979200000';

  public async up(q: QueryRunner): Promise<void> {
    for (const table of ['booking', 'snp_request']) {
      await q.query(`
        ALTER TABLE ${table}
          ALTER COLUMN patient_first_name DROP NOT NULL,
          ALTER COLUMN patient_last_name DROP NOT NULL,
          ALTER COLUMN patient_birth_date DROP NOT NULL,
          ALTER COLUMN patient_phone DROP NOT NULL,
          ADD COLUMN anonymised_at timestamptz,
          ADD CONSTRAINT ${table}_patient_identity_check CHECK (anonymised_at IS NOT NULL OR (
            patient_first_name IS NOT NULL AND patient_last_name IS NOT NULL AND patient_birth_date IS NOT NULL AND patient_phone IS NOT NULL))`);
    }
    await q.query(`ALTER TABLE notification ADD COLUMN anonymised_at timestamptz`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT IF EXISTS notification_check1`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_recipient_check CHECK (recipient IS NOT NULL OR status IN ('failed', 'cancelled') OR anonymised_at IS NOT NULL)`);
    // The retention job walks slots by their end and requests by their deadline, oldest first.
    await q.query(`CREATE INDEX slot_ends_idx ON slot (ends_at)`);
    await q.query(`CREATE INDEX snp_request_not_after_idx ON snp_request (not_after) WHERE anonymised_at IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS snp_request_not_after_idx`);
    await q.query(`DROP INDEX IF EXISTS slot_ends_idx`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT IF EXISTS notification_recipient_check`);
    await q.query(`ALTER TABLE notification DROP COLUMN IF EXISTS anonymised_at`);
    for (const table of ['booking', 'snp_request']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${table}_patient_identity_check, DROP COLUMN IF EXISTS anonymised_at`);
    }
  }
}
