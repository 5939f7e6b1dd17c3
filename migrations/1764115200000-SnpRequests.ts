import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SNP requests that the matching engine books. A request is matched at most once (booking_id is
 * set by the same transaction that books), and the partial index keeps the waiting list small
 * to read in urgency order.
 */
export class SnpRequests1764115200000 implements MigrationInterface {
  name = 'SnpRequests1764115200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE snp_request (
        id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        status                    text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','matched','unmatched','cancelled')),
        patient_first_name        text NOT NULL,
        patient_last_name         text NOT NULL,
        patient_birth_date        date NOT NULL,
        patient_phone             varchar(16) NOT NULL,
        patient_email             text,
        patient_commune_code      varchar(5),
        patient_has_referring_gp  boolean,
        chronic_condition         boolean NOT NULL DEFAULT false,
        urgency                   smallint NOT NULL DEFAULT 0,
        reason                    text,
        location_commune_code     varchar(5),
        lat                       double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
        lon                       double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
        not_before                timestamptz NOT NULL,
        not_after                 timestamptz NOT NULL,
        escalate_at               timestamptz NOT NULL,
        modalities                text[] NOT NULL,
        max_distance_km           double precision NOT NULL CHECK (max_distance_km > 0),
        created_by_user_id        uuid REFERENCES app_user(id),
        created_by_api_key_id     uuid REFERENCES api_key(id),
        created_by_role           text NOT NULL,
        created_by_practice_id    uuid REFERENCES practice(id),
        idempotency_key           text,
        request_hash              char(64),
        booking_id                uuid UNIQUE REFERENCES booking(id),
        attempts                  integer NOT NULL DEFAULT 0,
        created_at                timestamptz NOT NULL DEFAULT now(),
        status_changed_at         timestamptz NOT NULL DEFAULT now(),
        matched_at                timestamptz,
        CHECK (not_after > not_before),
        CHECK ((status = 'matched') = (booking_id IS NOT NULL) OR status = 'cancelled')
      )`);
    await q.query(`CREATE INDEX snp_request_pending_idx ON snp_request (urgency DESC, created_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX snp_request_status_idx ON snp_request (status, created_at)`);
    await q.query(`CREATE INDEX snp_request_created_by_practice_idx ON snp_request (created_by_practice_id, created_at)`);
    await q.query(
      `CREATE UNIQUE INDEX snp_request_idempotency_uq ON snp_request (coalesce(created_by_user_id, created_by_api_key_id), idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS snp_request`);
  }
}
