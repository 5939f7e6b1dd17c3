import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the coordination's figures and the SNP add-on counter read (README, « Indicators »).
 *
 * - `booking.community_id`, `practitioner_id`, `slot_starts_at`: the CPTS, the GP and the start of
 *   the booked slot, copied from the slot by the booking statement (a slot never moves nor changes
 *   CPTS): the figures of one CPTS are then one index range, however many CPTS the deployment holds.
 * - `booking.patient_referring_gp_rpps`, `snp_request.patient_referring_gp_rpps`: the RPPS of the
 *   patient's médecin traitant, when known (the add-on is not for a GP's own patient).
 * - Indexes: a CPTS's bookings by creation (covering what the counters read), a GP's bookings by
 *   slot start (the add-on's week), a practice's slots by start whatever their status, the
 *   regulation's requests by commune.
 */
export class Reporting1765152000000 implements MigrationInterface {
  name = 'Reporting1765152000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE booking
        ADD COLUMN community_id uuid,
        ADD COLUMN practitioner_id uuid,
        ADD COLUMN slot_starts_at timestamptz,
        ADD COLUMN patient_referring_gp_rpps char(11) CHECK (patient_referring_gp_rpps ~ '^[0-9]{11}$')`);
    await q.query(`
      UPDATE booking b SET community_id = p.community_id, practitioner_id = s.practitioner_id, slot_starts_at = s.starts_at
        FROM slot s JOIN practice p ON p.id = s.practice_id WHERE s.id = b.slot_id`);
    await q.query(`ALTER TABLE booking ALTER COLUMN community_id SET NOT NULL, ALTER COLUMN practitioner_id SET NOT NULL, ALTER COLUMN slot_starts_at SET NOT NULL`);
    // The booking statement sets them; a writer that does not (an older build of the service during
    // a rolling update, a script) gets them from the slot rather than an error.
    await q.query(`
      CREATE FUNCTION booking_slot_copies() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT p.community_id, s.practitioner_id, s.starts_at INTO NEW.community_id, NEW.practitioner_id, NEW.slot_starts_at
          FROM slot s JOIN practice p ON p.id = s.practice_id WHERE s.id = NEW.slot_id;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER booking_slot_copies BEFORE INSERT ON booking
        FOR EACH ROW WHEN (NEW.community_id IS NULL OR NEW.practitioner_id IS NULL OR NEW.slot_starts_at IS NULL) EXECUTE FUNCTION booking_slot_copies()`);
    await q.query(`CREATE INDEX booking_community_created_idx ON booking (community_id, created_at) INCLUDE (channel, status, slot_starts_at, patient_has_referring_gp)`);
    await q.query(`CREATE INDEX booking_practitioner_start_idx ON booking (practitioner_id, slot_starts_at)`);
    await q.query(`ALTER TABLE snp_request ADD COLUMN patient_referring_gp_rpps char(11) CHECK (patient_referring_gp_rpps ~ '^[0-9]{11}$')`);
    await q.query(`CREATE INDEX snp_request_regulation_commune_idx ON snp_request (location_commune_code, created_at) WHERE created_by_role = 'regulator'`);
    await q.query(`CREATE INDEX slot_practice_start_idx ON slot (practice_id, starts_at) INCLUDE (status, practitioner_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX slot_practice_start_idx`);
    await q.query(`DROP INDEX snp_request_regulation_commune_idx`);
    await q.query(`ALTER TABLE snp_request DROP COLUMN patient_referring_gp_rpps`);
    await q.query(`DROP INDEX booking_practitioner_start_idx`);
    await q.query(`DROP INDEX booking_community_created_idx`);
    await q.query(`DROP TRIGGER booking_slot_copies ON booking`);
    await q.query(`DROP FUNCTION booking_slot_copies()`);
    await q.query(`ALTER TABLE booking DROP COLUMN patient_referring_gp_rpps, DROP COLUMN slot_starts_at, DROP COLUMN practitioner_id, DROP COLUMN community_id`);
  }
}
