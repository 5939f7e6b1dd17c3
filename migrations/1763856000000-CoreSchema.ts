import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Core schema: members, slots, bookings, audit.
 * The database itself forbids overlapping live slots of one practitioner
 * (exclusion constraint) and two live bookings of one slot (partial unique index).
 */
export class CoreSchema1763856000000 implements MigrationInterface {
  name = 'CoreSchema1763856000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS cube`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS earthdistance`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);

    await q.query(`
      CREATE TABLE commune (
        code        varchar(5) PRIMARY KEY,
        name        text NOT NULL,
        department  varchar(3),
        postcodes   varchar(5)[] NOT NULL DEFAULT '{}',
        lat         double precision,
        lon         double precision,
        CHECK ((lat IS NULL) = (lon IS NULL)),
        CHECK (lat IS NULL OR (lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180))
      )`);
    await q.query(`CREATE INDEX commune_postcodes_idx ON commune USING gin (postcodes)`);
    await q.query(`CREATE INDEX commune_name_idx ON commune (lower(name) text_pattern_ops)`);

    await q.query(`
      CREATE TABLE community (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name           text NOT NULL,
        timezone       text NOT NULL DEFAULT 'Europe/Paris',
        commune_codes  varchar(5)[] NOT NULL DEFAULT '{}',
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX community_name_uq ON community (lower(name))`);

    await q.query(`
      CREATE TABLE practice (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        community_id  uuid NOT NULL REFERENCES community(id),
        name          text NOT NULL,
        kind          text NOT NULL DEFAULT 'medical_practice',
        address       text NOT NULL,
        commune_code  varchar(5) NOT NULL REFERENCES commune(code),
        phone         varchar(16) NOT NULL,
        lat           double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
        lon           double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX practice_earth_idx ON practice USING gist (ll_to_earth(lat, lon))`);
    await q.query(`CREATE INDEX practice_community_idx ON practice (community_id)`);

    await q.query(`
      CREATE TABLE practitioner (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        rpps                    char(11) NOT NULL UNIQUE,
        first_name              text NOT NULL,
        last_name               text NOT NULL,
        profession              text NOT NULL,
        practice_id             uuid NOT NULL REFERENCES practice(id),
        min_patient_age_months  integer NOT NULL DEFAULT 0 CHECK (min_patient_age_months >= 0),
        modalities              text[] NOT NULL DEFAULT '{in_person}',
        created_at              timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX practitioner_practice_idx ON practitioner (practice_id)`);

    await q.query(`
      CREATE TABLE app_user (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email            text NOT NULL,
        password_hash    text NOT NULL,
        role             text NOT NULL CHECK (role IN ('admin','coordinator','gp','secretary','regulator')),
        practice_id      uuid REFERENCES practice(id),
        practitioner_id  uuid REFERENCES practitioner(id),
        community_id     uuid REFERENCES community(id),
        created_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_uq ON app_user (lower(email))`);

    await q.query(`
      CREATE TABLE api_key (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name         text NOT NULL,
        role         text NOT NULL CHECK (role IN ('admin','coordinator','gp','secretary','regulator')),
        practice_id  uuid REFERENCES practice(id),
        key_hash     char(64) NOT NULL UNIQUE,
        created_at   timestamptz NOT NULL DEFAULT now(),
        revoked_at   timestamptz
      )`);

    await q.query(`
      CREATE TABLE slot_template (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practitioner_id  uuid NOT NULL REFERENCES practitioner(id),
        weekdays         smallint[] NOT NULL,
        start_time       time NOT NULL,
        end_time         time NOT NULL,
        slot_minutes     integer NOT NULL CHECK (slot_minutes BETWEEN 5 AND 240),
        modality         text NOT NULL DEFAULT 'in_person',
        valid_from       date NOT NULL,
        valid_until      date,
        created_at       timestamptz NOT NULL DEFAULT now(),
        CHECK (end_time > start_time),
        CHECK (valid_until IS NULL OR valid_until >= valid_from)
      )`);

    await q.query(`
      CREATE TABLE slot (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practitioner_id  uuid NOT NULL REFERENCES practitioner(id),
        practice_id      uuid NOT NULL REFERENCES practice(id),
        template_id      uuid REFERENCES slot_template(id),
        starts_at        timestamptz NOT NULL,
        ends_at          timestamptz NOT NULL,
        modality         text NOT NULL CHECK (modality IN ('in_person','teleconsultation','home_visit')),
        status           text NOT NULL DEFAULT 'free' CHECK (status IN ('free','held','booked','cancelled')),
        hold_token       uuid,
        hold_expires_at  timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at),
        CHECK ((status = 'held') = (hold_token IS NOT NULL AND hold_expires_at IS NOT NULL)),
        CONSTRAINT slot_no_overlap EXCLUDE USING gist (
          practitioner_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
        ) WHERE (status <> 'cancelled')
      )`);
    // Search walks practices near the patient, then each practitioner's open slots in the window.
    await q.query(`CREATE INDEX slot_open_idx ON slot (practitioner_id, starts_at) WHERE status IN ('free','held')`);
    await q.query(`CREATE INDEX slot_starts_idx ON slot (starts_at)`);
    // A template generates a given start once, even after the slot is withdrawn.
    await q.query(`CREATE UNIQUE INDEX slot_template_start_uq ON slot (template_id, starts_at) WHERE template_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE booking (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slot_id                 uuid NOT NULL REFERENCES slot(id),
        status                  text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed','cancelled','attended','no_show')),
        patient_first_name      text NOT NULL,
        patient_last_name       text NOT NULL,
        patient_birth_date      date NOT NULL,
        patient_phone           varchar(16) NOT NULL,
        patient_email           text,
        patient_commune_code    varchar(5),
        patient_has_referring_gp boolean,
        reason                  text,
        channel                 text NOT NULL CHECK (channel IN ('secretary','regulation','matching','coordination')),
        booked_by_user_id       uuid REFERENCES app_user(id),
        booked_by_api_key_id    uuid REFERENCES api_key(id),
        booked_by_role          text NOT NULL,
        booked_by_practice_id   uuid REFERENCES practice(id),
        idempotency_key         text,
        request_hash            char(64),
        cancel_reason           text,
        created_at              timestamptz NOT NULL DEFAULT now(),
        status_changed_at       timestamptz NOT NULL DEFAULT now(),
        cancelled_at            timestamptz,
        outcome_at              timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX booking_live_slot_uq ON booking (slot_id) WHERE status <> 'cancelled'`);
    await q.query(`CREATE UNIQUE INDEX booking_idempotency_uq ON booking (coalesce(booked_by_user_id, booked_by_api_key_id), idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await q.query(`CREATE INDEX booking_slot_idx ON booking (slot_id)`);
    await q.query(`CREATE INDEX booking_booked_by_practice_idx ON booking (booked_by_practice_id, created_at)`);
    await q.query(`CREATE INDEX booking_created_idx ON booking (created_at)`);

    // Every status change of an appointment, as the SAS expects them reported.
    await q.query(`
      CREATE TABLE booking_event (
        id          bigserial PRIMARY KEY,
        booking_id  uuid NOT NULL REFERENCES booking(id),
        status      text NOT NULL,
        at          timestamptz NOT NULL DEFAULT now(),
        actor_user_id uuid,
        actor_role  text
      )`);
    await q.query(`CREATE INDEX booking_event_booking_idx ON booking_event (booking_id, at)`);

    await q.query(`
      CREATE TABLE audit_event (
        id           bigserial PRIMARY KEY,
        at           timestamptz NOT NULL DEFAULT now(),
        actor_user_id    uuid,
        actor_api_key_id uuid,
        actor_role   text,
        action       text NOT NULL,
        entity       text NOT NULL,
        entity_id    uuid
      )`);
    await q.query(`CREATE INDEX audit_event_entity_idx ON audit_event (entity, entity_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of ['audit_event', 'booking_event', 'booking', 'slot', 'slot_template', 'api_key', 'app_user', 'practitioner', 'practice', 'community', 'commune']) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
  }
}
