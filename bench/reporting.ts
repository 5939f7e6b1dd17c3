import { isDeepStrictEqual } from 'util';
import { DateTime } from 'luxon';
import { Pool, PoolClient } from 'pg';
import { bookingsSql, counters, membersSql, requestsSql, slotsSql, Variant } from '../src/reporting/indicators';
import { parsePeriod, weeksOf, ZONE } from '../src/reporting/period';
import { HttpClient } from './http-client';
import { processCpuMs } from './machine';
import { SEED } from './seed';
import { elapsedMs, LatencySummary, summarize } from './stats';

/**
 * The coordination's figures (`GET /indicators`, `GET /indicators/weekly`) on a year of national
 * activity: the bench territory split into one CPTS per cluster (60), then, over the past 365 Paris
 * days, past slots, bookings on them and SNP requests, at the benchmark's scale, written in SQL with
 * generate_series. Each figure is then read through HTTP and, alternately, by the same statements
 * run raw as the service runs them (the four at once, each on its own connection of a pool of 4,
 * the three counters as named prepared statements with the same names and parameters).
 */

/** The shape of the year: per practitioner, one past slot every 8 days or so (45 slots: 1,350,000). */
export const YEAR = {
  slotsPerPractitioner: 45,
  /** Shares of past slots withdrawn by their GP (status cancelled) and left unused (free); the rest booked. */
  withdrawn: 0.06,
  unused: 0.16,
  /** Share of slots with a cancelled booking besides: booked (re-booked after it), unused, withdrawn. */
  cancelledOnBooked: 0.04,
  cancelledOnUnused: 0.35,
  cancelledOnWithdrawn: 0.25,
  /** Requests neither matched nor matching: pending (the last 20 hours), then unmatched or cancelled over the year. */
  pendingRequests: 2_000,
  otherRequests: 63_000,
};

/** Communes per CPTS (commune_codes), each commune in one CPTS. */
const COMMUNES_PER_CPTS = 16;

export interface ReportingSeed {
  communities: number;
  pastSlots: number;
  slotsByStatus: Record<string, number>;
  bookings: number;
  bookingsByChannel: Record<string, number>;
  bookingsByStatus: Record<string, number>;
  anonymisedBookings: number;
  requests: number;
  requestsByStatus: Record<string, number>;
  regulatorRequests: number;
  /** Seconds: the territory and the year (one transaction), then VACUUM ANALYZE + CHECKPOINT. */
  seedSeconds: number;
  /** CPU of the seeding backend (parallel index build workers not counted), when /proc shows it. */
  backendCpuSeconds: number | null;
  vacuumSeconds: number;
  steps: Record<string, number>;
}

/**
 * One CPTS per cluster of the bench territory: cluster 0 keeps the bench CPTS, 59 more are created,
 * each with 16 communes of its own; each practice (`Cabinet bench g`, cluster g mod 60) joins its
 * cluster's CPTS and one of its communes; what earlier phases wrote (bookings, requests, accounts,
 * API keys of a practice) follows its practice.
 */
const territorySql = (clusters: number, name: string): Array<[string, unknown[]]> => [
  [`CREATE TEMP TABLE rp_cluster ON COMMIT DROP AS
     SELECT c, CASE WHEN c = 0 THEN (SELECT id FROM community WHERE name = $2) ELSE gen_random_uuid() END AS id
       FROM generate_series(0, $1::int - 1) c`, [clusters, name]],
  [`WITH codes AS (SELECT array_agg(code ORDER BY code) AS a FROM (SELECT code FROM commune ORDER BY code LIMIT $1::int * $2::int) x)
   INSERT INTO community (id, name, commune_codes)
   SELECT rc.id, $3 || ' ' || lpad((rc.c + 1)::text, 2, '0'), codes.a[rc.c * $2::int + 1 : rc.c * $2::int + $2::int]
     FROM rp_cluster rc CROSS JOIN codes
   ON CONFLICT (id) DO UPDATE SET commune_codes = EXCLUDED.commune_codes`, [clusters, COMMUNES_PER_CPTS, name]],
  [`WITH codes AS (SELECT array_agg(code ORDER BY code) AS a FROM (SELECT code FROM commune ORDER BY code LIMIT $1::int * $2::int) x),
        pg AS (SELECT id, substring(name FROM '([0-9]+)$')::int AS g FROM practice WHERE name ~ '^Cabinet bench [0-9]+$')
   UPDATE practice p SET community_id = rc.id, commune_code = codes.a[rc.c * $2::int + 1 + (pg.g / $1::int) % $2::int]
     FROM pg JOIN rp_cluster rc ON rc.c = pg.g % $1::int CROSS JOIN codes
    WHERE p.id = pg.id`, [clusters, COMMUNES_PER_CPTS]],
  [`UPDATE booking b SET community_id = p.community_id FROM slot s JOIN practice p ON p.id = s.practice_id
    WHERE s.id = b.slot_id AND b.community_id <> p.community_id`, []],
  [`UPDATE snp_request r SET created_by_community_id = p.community_id FROM practice p
    WHERE p.id = r.created_by_practice_id AND r.created_by_community_id IS DISTINCT FROM p.community_id`, []],
  [`UPDATE app_user u SET community_id = p.community_id FROM practice p WHERE p.id = u.practice_id AND u.community_id IS DISTINCT FROM p.community_id`, []],
  [`UPDATE api_key k SET community_id = p.community_id FROM practice p WHERE p.id = k.practice_id AND k.community_id IS DISTINCT FROM p.community_id`, []],
  // Each CPTS with its communes and practices (for the rows below).
  [`CREATE TEMP TABLE rp_community ON COMMIT DROP AS
     SELECT rc.c, rc.id, c.commune_codes, array_agg(p.id ORDER BY p.name) AS practice_ids
       FROM rp_cluster rc JOIN community c ON c.id = rc.id JOIN practice p ON p.community_id = rc.id
      GROUP BY rc.c, rc.id, c.commune_codes`, []],
];

/**
 * Past slots: slot k of practitioner n on Paris day today − (1 + 8k + n mod 8), between 08:00 and
 * 19:45 (15 minutes), so that a practitioner has at most one a day (none overlaps, none is today's
 * nor in the future: the bench's future slots are untouched); one in five a teleconsultation.
 */
const SLOTS_SQL = `
  CREATE TEMP TABLE rp_slot ON COMMIT DROP AS
  SELECT gen_random_uuid() AS id, pr.id AS practitioner_id, pr.rpps, pr.practice_id, p.community_id, rc.c, t.s AS starts_at,
         CASE WHEN k % 5 = 4 THEN 'teleconsultation' ELSE 'in_person' END AS modality,
         CASE WHEN t.v < $2::float8 THEN 'cancelled' WHEN t.v < $2::float8 + $3::float8 THEN 'free' ELSE 'booked' END AS status
    FROM (SELECT id, rpps, practice_id, row_number() OVER (ORDER BY id) AS n FROM practitioner) pr
    JOIN practice p ON p.id = pr.practice_id
    LEFT JOIN rp_community rc ON rc.id = p.community_id
   CROSS JOIN generate_series(0, $1::int - 1) k
   CROSS JOIN LATERAL (
     SELECT ((timezone('${ZONE}', now())::date - (1 + k * 8 + pr.n % 8)::int) + time '08:00' + ((pr.n * 7 + k * 11) % 48) * interval '15 minutes')
              AT TIME ZONE '${ZONE}' AS s,
            random() AS v) t`;

/** The slots themselves, in (practitioner, start) order: the exclusion constraint's GiST index is then written where it was just read. */
const INSERT_SLOTS_SQL = `
  INSERT INTO slot (id, practitioner_id, practice_id, starts_at, ends_at, modality, status, created_at, updated_at)
  SELECT id, practitioner_id, practice_id, starts_at, starts_at + interval '15 minutes', modality, status,
         starts_at - interval '6 days', starts_at - interval '6 days'
    FROM rp_slot ORDER BY practitioner_id, starts_at`;

/**
 * The bookings to write: one live booking per booked slot, and a cancelled one on some slots (before
 * the live one on a booked slot; the slot freed, or withdrawn by its GP, otherwise). `r1`…`r5` fix
 * the channel, lead time, outcome, cancellation and filer, so that the requests below agree.
 */
const PLAN_BOOKINGS_SQL = `
  CREATE TEMP TABLE rp_booking ON COMMIT DROP AS
  SELECT y.*,
         CASE WHEN y.r1 < 0.55 THEN 'secretary' WHEN y.r1 < 0.77 THEN 'regulation' WHEN y.r1 < 0.93 THEN 'matching' ELSE 'coordination' END AS channel,
         -- Made 0–72 h before the start, most the same day; a cancelled one before the live one of its slot.
         y.starts_at - CASE WHEN NOT y.live AND y.slot_status = 'booked' THEN interval '72 hours' * (0.5 + 0.5 * y.r2)
                            WHEN NOT y.live THEN interval '72 hours' * y.r2 ^ 2
                            WHEN y.prior THEN interval '24 hours' * y.r2 ^ 2
                            ELSE interval '72 hours' * y.r2 ^ 3 END AS created_at
    FROM (SELECT gen_random_uuid() AS id, x.id AS slot_id, x.practitioner_id, x.rpps, x.practice_id, x.community_id, x.c, x.starts_at,
                 x.status AS slot_status, k.live, x.status = 'booked' AND x.u < $1::float8 AS prior,
                 random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
            FROM (SELECT s.*, random() AS u FROM rp_slot s) x
           CROSS JOIN (VALUES (true), (false)) k(live)
           WHERE (k.live AND x.status = 'booked')
              OR (NOT k.live AND x.u < CASE x.status WHEN 'booked' THEN $1::float8 WHEN 'free' THEN $2::float8 ELSE $3::float8 END)) y`;

const FIRST_NAMES = `ARRAY['Camille','Louis','Léa','Hugo','Chloé','Jules','Manon','Gabriel','Inès','Arthur']`;
const REASONS = `ARRAY['fièvre depuis 2 jours','douleur à l’oreille','toux persistante','entorse de la cheville','brûlures urinaires','éruption cutanée','mal de gorge','lombalgie aiguë']`;

/**
 * The bookings, as the service writes them (the slot's CPTS, GP and start copied), their patients
 * anonymised as the retention job does 90 days after the consultation. The filer of a booking by
 * the engine is the request's: a regulator (45 %) or a secretary of the CPTS.
 */
const INSERT_BOOKINGS_SQL = `
  INSERT INTO booking (id, slot_id, status, patient_first_name, patient_last_name, patient_birth_date, patient_phone, patient_commune_code,
         patient_has_referring_gp, patient_referring_gp_rpps, reason, channel, booked_by_role, booked_by_practice_id, cancel_reason,
         created_at, status_changed_at, cancelled_at, outcome_at, anonymised_at, community_id, practitioner_id, slot_starts_at)
  SELECT z.id, z.slot_id, z.status,
         CASE WHEN z.anonymised_at IS NULL THEN (${FIRST_NAMES})[1 + floor(random() * 10)::int] END,
         CASE WHEN z.anonymised_at IS NULL THEN 'Patient ' || floor(random() * 100000)::int END,
         CASE WHEN z.anonymised_at IS NULL THEN date '1935-01-01' + floor(random() * 32000)::int END,
         CASE WHEN z.anonymised_at IS NULL THEN '+336' || lpad(floor(random() * 100000000)::int::text, 8, '0') END,
         rc.commune_codes[1 + floor(random() * array_length(rc.commune_codes, 1))::int],
         z.has_gp,
         -- The médecin traitant's RPPS when given: now and then the booked GP (their own patient).
         CASE WHEN z.has_gp AND z.gp_draw < 0.03 THEN z.rpps
              WHEN z.has_gp AND z.gp_draw < 0.5 THEN '9' || lpad((1 + floor(random() * 30000))::int::text, 10, '0') END,
         CASE WHEN z.anonymised_at IS NULL THEN (${REASONS})[1 + floor(random() * 8)::int] END,
         z.channel,
         CASE z.channel WHEN 'secretary' THEN 'secretary' WHEN 'regulation' THEN 'regulator' WHEN 'coordination' THEN 'coordinator'
                        ELSE CASE WHEN z.r5 < 0.45 THEN 'regulator' ELSE 'secretary' END END,
         CASE WHEN z.channel = 'secretary' THEN z.practice_id
              WHEN z.channel = 'matching' AND z.r5 >= 0.45 THEN rc.practice_ids[1 + floor(random() * array_length(rc.practice_ids, 1))::int] END,
         CASE WHEN z.status = 'cancelled' AND z.anonymised_at IS NULL THEN CASE WHEN z.slot_status = 'cancelled' THEN 'créneau retiré par le médecin' ELSE 'le patient annule' END END,
         z.created_at, coalesce(z.cancelled_at, z.outcome_at, z.created_at), z.cancelled_at, z.outcome_at, z.anonymised_at,
         z.community_id, z.practitioner_id, z.starts_at
    FROM (SELECT b.*,
                 CASE WHEN NOT b.live THEN 'cancelled' WHEN b.r3 < 0.88 THEN 'attended' WHEN b.r3 < 0.95 THEN 'no_show' ELSE 'confirmed' END AS status,
                 CASE WHEN NOT b.live AND b.slot_status = 'booked' THEN b.created_at + (b.starts_at - interval '24 hours' - b.created_at) * b.r4
                      WHEN NOT b.live THEN b.created_at + (b.starts_at - b.created_at) * b.r4 END AS cancelled_at,
                 CASE WHEN b.live AND b.r3 < 0.95 THEN b.starts_at + interval '15 minutes' + interval '3 hours' * b.r4 END AS outcome_at,
                 CASE WHEN b.starts_at < now() - interval '91 days' THEN b.starts_at + interval '90 days' + interval '20 hours' * b.r4 END AS anonymised_at,
                 b.r4 < 0.82 AS has_gp, random() AS gp_draw
            FROM rp_booking b) z
    LEFT JOIN rp_community rc ON rc.c = z.c
   ORDER BY z.id`;

/**
 * A request for each booking the engine made (matched, even when its booking was later cancelled),
 * filed minutes before it by the booking's filer: a member (its practice and CPTS) or a regulator,
 * located in one of the booked CPTS's communes.
 */
const MATCHED_REQUESTS_SQL = `
  INSERT INTO snp_request (status, patient_first_name, patient_last_name, patient_birth_date, patient_phone, patient_commune_code,
         patient_has_referring_gp, patient_referring_gp_rpps, urgency, reason, location_commune_code, lat, lon, not_before, not_after, escalate_at,
         modalities, max_distance_km, created_by_role, created_by_practice_id, created_by_community_id, booking_id, attempts,
         created_at, status_changed_at, matched_at, anonymised_at)
  SELECT 'matched', n.first_name, n.last_name, n.birth_date, n.phone, b.patient_commune_code,
         b.patient_has_referring_gp, b.patient_referring_gp_rpps, floor(random() * 3)::int, n.reason,
         CASE WHEN b.booked_by_role = 'regulator' THEN rc.commune_codes[1 + floor(random() * array_length(rc.commune_codes, 1))::int] ELSE b.patient_commune_code END,
         p.lat, p.lon, t.created, t.not_after, t.created + interval '20 minutes',
         '{in_person,teleconsultation}', 30, b.booked_by_role, b.booked_by_practice_id,
         CASE WHEN b.booked_by_role = 'secretary' THEN b.community_id END, b.id, 1,
         t.created, b.created_at, b.created_at, t.anonymised_at
    FROM booking b
    JOIN rp_booking x ON x.id = b.id AND x.channel = 'matching'
    JOIN practice p ON p.id = x.practice_id
    LEFT JOIN rp_community rc ON rc.c = x.c
   CROSS JOIN LATERAL (SELECT b.created_at - interval '10 minutes' * random() AS created) c0
   CROSS JOIN LATERAL (SELECT c0.created AS created, greatest(c0.created + interval '24 hours', b.slot_starts_at + interval '15 minutes') AS not_after,
                              CASE WHEN greatest(c0.created + interval '24 hours', b.slot_starts_at + interval '15 minutes') < now() - interval '91 days'
                                   THEN greatest(c0.created + interval '24 hours', b.slot_starts_at + interval '15 minutes') + interval '90 days 12 hours' END AS anonymised_at) t
   CROSS JOIN LATERAL (SELECT CASE WHEN t.anonymised_at IS NULL THEN coalesce(b.patient_first_name, 'Camille') END AS first_name,
                              CASE WHEN t.anonymised_at IS NULL THEN coalesce(b.patient_last_name, 'Patient') END AS last_name,
                              CASE WHEN t.anonymised_at IS NULL THEN coalesce(b.patient_birth_date, date '1980-05-17') END AS birth_date,
                              CASE WHEN t.anonymised_at IS NULL THEN coalesce(b.patient_phone, '+33612345678') END AS phone,
                              CASE WHEN t.anonymised_at IS NULL THEN coalesce(b.reason, 'fièvre') END AS reason) n`;

/**
 * Requests the engine did not book: pending (filed in the last 20 hours, deadline ahead), then
 * unmatched (76 %) or cancelled over the year; a regulator's (45 %) located in a commune of a CPTS,
 * a member's filed by one of its practices.
 */
const OTHER_REQUESTS_SQL = `
  INSERT INTO snp_request (status, patient_first_name, patient_last_name, patient_birth_date, patient_phone, patient_commune_code,
         patient_has_referring_gp, urgency, reason, location_commune_code, lat, lon, not_before, not_after, escalate_at,
         modalities, max_distance_km, created_by_role, created_by_practice_id, created_by_community_id, attempts,
         created_at, status_changed_at, anonymised_at)
  SELECT t.status,
         CASE WHEN t.anonymised_at IS NULL THEN (${FIRST_NAMES})[1 + floor(random() * 10)::int] END,
         CASE WHEN t.anonymised_at IS NULL THEN 'Patient ' || floor(random() * 100000)::int END,
         CASE WHEN t.anonymised_at IS NULL THEN date '1935-01-01' + floor(random() * 32000)::int END,
         CASE WHEN t.anonymised_at IS NULL THEN '+336' || lpad(floor(random() * 100000000)::int::text, 8, '0') END,
         t.commune, random() < 0.82, floor(random() * 3)::int,
         CASE WHEN t.anonymised_at IS NULL THEN (${REASONS})[1 + floor(random() * 8)::int] END,
         t.commune, p.lat, p.lon, t.created, t.created + interval '48 hours', t.created + interval '30 minutes',
         '{in_person,teleconsultation}', 30, CASE WHEN t.regulator THEN 'regulator' ELSE 'secretary' END,
         CASE WHEN NOT t.regulator THEN p.id END, CASE WHEN NOT t.regulator THEN rc.id END,
         CASE t.status WHEN 'pending' THEN 1 ELSE 2 + floor(random() * 6)::int END,
         t.created, CASE t.status WHEN 'pending' THEN t.created WHEN 'unmatched' THEN t.created + interval '48 hours' ELSE t.created + interval '5 hours' * random() END,
         t.anonymised_at
    FROM (SELECT g, random() AS u1, random() AS u2, random() AS u3, random() AS u4, random() AS u5, random() AS u6 FROM generate_series(1, $1::int + $2::int) g) x
    JOIN rp_community rc ON rc.c = floor(x.u1 * (SELECT count(*) FROM rp_community))::int
    JOIN practice p ON p.id = rc.practice_ids[1 + floor(x.u4 * array_length(rc.practice_ids, 1))::int]
   CROSS JOIN LATERAL (SELECT CASE WHEN x.g <= $1::int THEN now() - interval '20 hours' * x.u2 ELSE now() - interval '1 day' - interval '363 days' * x.u2 END AS created) c0
   CROSS JOIN LATERAL (SELECT c0.created, CASE WHEN x.g <= $1::int THEN 'pending' WHEN x.u3 < 0.76 THEN 'unmatched' ELSE 'cancelled' END AS status,
                              x.u5 < 0.45 AS regulator, rc.commune_codes[1 + floor(x.u6 * array_length(rc.commune_codes, 1))::int] AS commune,
                              CASE WHEN c0.created + interval '48 hours' < now() - interval '91 days' THEN c0.created + interval '48 hours' + interval '90 days 12 hours' END AS anonymised_at) t`;

async function timed(steps: Record<string, number>, name: string, f: () => Promise<unknown>): Promise<void> {
  const t = process.hrtime.bigint();
  await f();
  steps[name] = Math.round(elapsedMs(t)) / 1000;
}

/**
 * Writes the year in one transaction. The secondary indexes of slot, booking and snp_request (those
 * no constraint owns) are dropped first and built again, with their own definitions, once the rows
 * are in (a build sorts once; a million inserts each walk every index); foreign keys are not checked
 * row by row (session_replication_role = replica, when the role may: the rows are consistent by
 * construction). The exclusion constraint slot_no_overlap stays and checks every slot.
 */
export async function seedReportingYear(pool: Pool, communityName: string, log: (s: string) => void): Promise<ReportingSeed> {
  const steps: Record<string, number> = {};
  const start = process.hrtime.bigint();
  const c: PoolClient = await pool.connect();
  let replica = false;
  let backendPid = 0;
  let cpu0 = NaN;
  let backendCpuSeconds = NaN;
  try {
    await c.query(`SET session_replication_role = replica`).then(() => (replica = true), () => undefined);
    backendPid = (await c.query('SELECT pg_backend_pid() AS p')).rows[0].p;
    cpu0 = processCpuMs(backendPid) / 1000; // the seeding backend's CPU: wall times on a shared machine say little
    await c.query('BEGIN');
    await c.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    await c.query('SELECT setseed(0.365)');
    await timed(steps, 'territory', async () => {
      for (const [sql, params] of territorySql(SEED.clusters, communityName)) await c.query(sql, params);
    });
    const indexes: Array<{ name: string; def: string }> = (
      await c.query(`SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
                       FROM pg_index i
                      WHERE i.indrelid IN ('slot'::regclass, 'booking'::regclass, 'snp_request'::regclass)
                        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`)
    ).rows;
    for (const { name } of indexes) await c.query(`DROP INDEX ${name}`);
    await timed(steps, 'slotsPlanned', () => c.query(SLOTS_SQL, [YEAR.slotsPerPractitioner, YEAR.withdrawn, YEAR.unused]));
    await timed(steps, 'slots', () => c.query(INSERT_SLOTS_SQL));
    await timed(steps, 'bookingsPlanned', () => c.query(PLAN_BOOKINGS_SQL, [YEAR.cancelledOnBooked, YEAR.cancelledOnUnused, YEAR.cancelledOnWithdrawn]));
    await timed(steps, 'bookings', () => c.query(INSERT_BOOKINGS_SQL));
    await timed(steps, 'matchedRequests', () => c.query(MATCHED_REQUESTS_SQL));
    await timed(steps, 'otherRequests', () => c.query(OTHER_REQUESTS_SQL, [YEAR.pendingRequests, YEAR.otherRequests]));
    await timed(steps, 'indexes', async () => {
      for (const { def } of indexes) await c.query(def);
    });
    await c.query('COMMIT');
    backendCpuSeconds = processCpuMs(backendPid) / 1000 - cpu0;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    if (replica) await c.query('RESET session_replication_role').catch(() => undefined);
    c.release();
  }
  const seedSeconds = elapsedMs(start) / 1000;
  log(`year written in ${seedSeconds.toFixed(1)} s${Number.isNaN(backendCpuSeconds) ? '' : `, ${backendCpuSeconds.toFixed(1)} s of CPU in its backend`} ` +
    `(${Object.entries(steps).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}; ` +
    `foreign keys ${replica ? 'not checked row by row' : 'checked row by row (the role may not set session_replication_role)'})`);
  const t = process.hrtime.bigint();
  await pool.query('VACUUM ANALYZE');
  await pool.query('CHECKPOINT');
  const vacuumSeconds = elapsedMs(t) / 1000;
  const counts = (
    await pool.query(`SELECT
        (SELECT count(*) FROM community)::int AS communities,
        (SELECT json_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM slot WHERE starts_at < now() GROUP BY status) x) AS slots,
        (SELECT json_object_agg(channel, n) FROM (SELECT channel, count(*)::int AS n FROM booking WHERE slot_starts_at < now() GROUP BY channel) x) AS channels,
        (SELECT json_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM booking WHERE slot_starts_at < now() GROUP BY status) x) AS statuses,
        (SELECT count(*) FROM booking WHERE anonymised_at IS NOT NULL)::int AS anonymised,
        (SELECT json_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM snp_request WHERE created_at > now() - interval '366 days' GROUP BY status) x) AS requests,
        (SELECT count(*) FROM snp_request WHERE created_by_role = 'regulator')::int AS regulator`)
  ).rows[0];
  const sum = (o: Record<string, number>) => Object.values(o ?? {}).reduce((a, b) => a + b, 0);
  return {
    communities: counts.communities,
    pastSlots: sum(counts.slots), slotsByStatus: counts.slots,
    bookings: sum(counts.channels), bookingsByChannel: counts.channels, bookingsByStatus: counts.statuses, anonymisedBookings: counts.anonymised,
    requests: sum(counts.requests), requestsByStatus: counts.requests, regulatorRequests: counts.regulator,
    seedSeconds, backendCpuSeconds: Number.isNaN(backendCpuSeconds) ? null : backendCpuSeconds, vacuumSeconds, steps,
  };
}

// ---------------------------------------------------------------------------------------------
// Measurement

/** The service's names for its prepared statements (ReportingService's statementName). */
const statementName = (kind: string, v: Variant) => `indicators_${kind}_${v.scoped ? 'cpts' : 'all'}_${v.weekly ? 'weekly' : 'total'}_v2`;

export interface ReportingAsk {
  from: string;
  to: string;
  weekly: boolean;
  /** The CPTS (its coordinator's token), or null: the admin, every CPTS. */
  communityId: string | null;
  token: string;
}

/**
 * The service's own way, raw: the three counters as named prepared statements and the members
 * count, at once, each on a connection of `pool` (4 connections); the answer assembled as the
 * service does, for the equality check.
 */
export async function rawIndicators(pool: Pool, a: Pick<ReportingAsk, 'from' | 'to' | 'weekly' | 'communityId'>) {
  const period = parsePeriod(a.from, a.to);
  const v: Variant = { scoped: a.communityId !== null, weekly: a.weekly };
  const params = a.communityId ? [period.from, period.to, a.communityId] : [period.from, period.to];
  const q = (kind: string, text: string) => pool.query({ name: statementName(kind, v), text, values: params });
  const [requests, bookings, slots, members] = await Promise.all([
    q('requests', requestsSql(v)),
    q('bookings', bookingsSql(v)),
    q('slots', slotsSql(v)),
    pool.query(membersSql(v.scoped), a.communityId ? [a.communityId] : []),
  ]);
  const n = members.rows[0].members;
  if (!a.weekly) return { from: a.from, to: a.to, communityId: a.communityId, ...counters(requests.rows[0], bookings.rows[0], slots.rows[0], n) };
  const byWeek = (rows: any[]) => new Map(rows.map((r) => [r.week, r]));
  const [r, b, s] = [byWeek(requests.rows), byWeek(bookings.rows), byWeek(slots.rows)];
  return {
    from: a.from, to: a.to, communityId: a.communityId,
    weeks: weeksOf(period).map(({ monday, week }) => ({ week, ...counters(r.get(monday), b.get(monday), s.get(monday), n) })),
  };
}

export function httpIndicators(http: HttpClient, a: ReportingAsk) {
  // A coordinator's figures are their CPTS's without naming it; the admin's national ones name none.
  return http.request('GET', `/api/v1/indicators${a.weekly ? '/weekly' : ''}?from=${a.from}&to=${a.to}`, { authorization: `Bearer ${a.token}` });
}

export interface ReportingMeasure {
  what: string;
  from: string;
  to: string;
  weekly: boolean;
  scope: 'cpts' | 'national';
  requests: number;
  http: LatencySummary;
  sql: LatencySummary;
  ratioP50: number;
  ratioP95: number;
}

/** Paris calendar days of the measures: a year ending today, and last calendar month. */
export function reportingPeriods(now = DateTime.now().setZone(ZONE)) {
  const today = now.startOf('day');
  const lastMonth = today.minus({ months: 1 });
  return {
    year: { from: today.minus({ days: 364 }).toISODate()!, to: today.toISODate()! },
    month: { from: lastMonth.startOf('month').toISODate()!, to: lastMonth.endOf('month').toISODate()! },
  };
}

export interface ReportingDeps {
  http: HttpClient;
  /** The raw side: 4 connections, as many as the statements run at once. */
  sqlPool: Pool;
  admin: string;
  /** Coordinators' tokens and their CPTS, rotated over request after request. */
  coordinators: Array<{ token: string; communityId: string }>;
}

/**
 * Same numbers through HTTP and raw, or the comparison means nothing: each measure once, with its
 * first CPTS. `unused` counts slots started before now(): a slot starting between the two reads
 * moves one, so a difference is read again once before failing.
 */
export async function checkSameFigures(deps: ReportingDeps, asks: ReportingAsk[]): Promise<string[]> {
  const lines: string[] = [];
  for (const a of asks) {
    let same = false;
    let last: { http: unknown; raw: unknown } = { http: null, raw: null };
    for (let attempt = 0; attempt < 2 && !same; attempt++) {
      const h = await httpIndicators(deps.http, a);
      if (h.status !== 200) throw new Error(`reporting: HTTP ${h.status} ${JSON.stringify(h.body).slice(0, 500)}`);
      const raw = await rawIndicators(deps.sqlPool, a);
      last = { http: h.body, raw: JSON.parse(JSON.stringify(raw)) };
      same = isDeepStrictEqual(last.http, last.raw);
    }
    const body = last.http as any;
    const totals = body.weeks ? body.weeks.reduce((acc: any, w: any) => ({
      bookings: acc.bookings + w.bookings.total, requests: acc.requests + w.requests.filed, slots: acc.slots + w.slots.published,
    }), { bookings: 0, requests: 0, slots: 0 }) : { bookings: body.bookings.total, requests: body.requests.filed, slots: body.slots.published };
    const label = `${a.communityId ? 'CPTS' : 'national'} ${a.from} → ${a.to}${a.weekly ? ` weekly (${body.weeks.length} weeks)` : ''}`;
    if (!same) {
      throw new Error(`reporting: HTTP and the raw statements disagree for ${label}:\nHTTP ${JSON.stringify(last.http)}\nraw  ${JSON.stringify(last.raw)}`);
    }
    if (!totals.bookings || !totals.slots || !totals.requests) throw new Error(`reporting: nothing counted for ${label}: ${JSON.stringify(totals)}`);
    lines.push(`${label}: same figures both ways (${totals.bookings} bookings, ${totals.requests} requests, ${totals.slots} slots published` +
      (body.weeks ? ')' : `, fill rate ${body.slots.fillRate}, ${body.practitioners.members} members)`));
  }
  return lines;
}

/**
 * `n` requests one at a time, each through HTTP and raw with the same parameters, after `warmUp`
 * of each not counted; request i asks for the i-th CPTS of the rotation (or the national figures).
 * HTTP goes first on even requests, raw on odd ones: whichever runs second finds in shared buffers
 * the pages the first just read (the bench's Postgres has 128 MB of them; a CPTS's year reads more),
 * and rotating over CPTS makes that matter.
 */
export async function measure(deps: ReportingDeps, what: string, period: { from: string; to: string }, weekly: boolean, national: boolean, n: number, warmUp: number): Promise<ReportingMeasure> {
  const ask = (i: number): ReportingAsk => {
    if (national) return { ...period, weekly, communityId: null, token: deps.admin };
    const c = deps.coordinators[i % deps.coordinators.length];
    return { ...period, weekly, communityId: c.communityId, token: c.token };
  };
  const viaHttp = async (a: ReportingAsk) => {
    const t = process.hrtime.bigint();
    const r = await httpIndicators(deps.http, a);
    const ms = elapsedMs(t);
    if (r.status !== 200) throw new Error(`reporting ${what}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
    return ms;
  };
  const viaSql = async (a: ReportingAsk) => {
    const t = process.hrtime.bigint();
    await rawIndicators(deps.sqlPool, a);
    return elapsedMs(t);
  };
  const httpMs: number[] = [];
  const sqlMs: number[] = [];
  for (let i = 0; i < warmUp + n; i++) {
    const a = ask(i);
    let tHttp: number;
    let tSql: number;
    if (i % 2 === 0) {
      tHttp = await viaHttp(a);
      tSql = await viaSql(a);
    } else {
      tSql = await viaSql(a);
      tHttp = await viaHttp(a);
    }
    if (i < warmUp) continue;
    httpMs.push(tHttp);
    sqlMs.push(tSql);
  }
  const http = summarize(httpMs);
  const sql = summarize(sqlMs);
  return { what, ...period, weekly, scope: national ? 'national' : 'cpts', requests: n, http, sql, ratioP50: http.p50 / sql.p50, ratioP95: http.p95 / sql.p95 };
}
