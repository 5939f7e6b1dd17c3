import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A patient's bookings by phone and birth date: the duplicate warning of every booking
 * (`patient_already_booked`: another live booking within 24 h) and the coordination's patient
 * lookup read them from this index instead of the whole table.
 */
export class PatientBookingsIndex1765238400000 implements MigrationInterface {
  name = 'PatientBookingsIndex1765238400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX booking_patient_idx ON booking (patient_phone, patient_birth_date)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX booking_patient_idx`);
  }
}
