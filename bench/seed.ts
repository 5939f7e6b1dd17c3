import { Pool, PoolClient } from 'pg';
import { DEPARTMENTS, shareByPopulation } from './departments';

/**
 * The benchmark territory: practices clustered around CLUSTERS towns spread over mainland France,
 * PRACTITIONERS_PER_PRACTICE practitioners each, SLOTS_PER_PRACTITIONER 15-minute slots each over
 * the coming 7 days. Written with generate_series in SQL (seconds, not minutes); setseed makes the
 * layout the same from run to run.
 */
export interface BenchTerritory {
  clusters: number;
  practices: number;
  practitioners: number;
  slots: number;
  centres: { lat: number; lon: number }[];
  /**
   * Where searches and requests are made: each centre once per PLACE_WEIGHT practices around it,
   * so that a centre drawn at random is drawn as often as people live there. On the small
   * territory, the 60 clusters 5 times each, in order (the same draws as the clusters themselves).
   */
  searchCentres: { lat: number; lon: number }[];
}

/** Practices per entry of `searchCentres`. */
const PLACE_WEIGHT = 10;

const weighted = (centres: Array<{ lat: number; lon: number; practices: number }>) =>
  centres.flatMap(({ lat, lon, practices }) => Array.from({ length: Math.max(1, Math.round(practices / PLACE_WEIGHT)) }, () => ({ lat, lon })));

/** The bench CPTS's FINESS (a valid Luhn key): the SAS façade shows only CPTS that have one. */
export const BENCH_FINESS = '280001231';

export const SEED = {
  clusters: 60,
  practices: 3000,
  practitionersPerPractice: 10,
  slotsPerPractitioner: 10,
};

/**
 * SEED.practitionersPerPractice practitioners for each practice of the temporary table
 * bench_new_practice (RPPS numbered after those already there; one in five sees only children
 * over 6), and their slots: slot k of practitioner n starts 20 min from now + k × 16 h 48 + (n mod
 * 48) × 20 min, so that the ten slots of one practitioner never overlap and the whole set covers 7
 * days; one in five a teleconsultation.
 */
async function addPractitionersAndSlots(c: PoolClient): Promise<void> {
  await c.query(
    `INSERT INTO practitioner (rpps, first_name, last_name, profession, specialty, practice_id, min_patient_age_months, modalities)
     SELECT '9' || lpad(((SELECT count(*) FROM practitioner) + row_number() OVER ())::text, 10, '0'), 'Prénom', 'Médecin ' || p.id, 'general_practitioner', 'SM54', p.id,
            CASE WHEN k % 5 = 0 THEN 72 ELSE 0 END, '{in_person,teleconsultation}'
       FROM bench_new_practice p CROSS JOIN generate_series(0, $1::int - 1) k`,
    [SEED.practitionersPerPractice],
  );
  await c.query(
    `INSERT INTO slot (practitioner_id, practice_id, starts_at, ends_at, modality)
     SELECT pr.id, pr.practice_id, t.s, t.s + interval '15 minutes', CASE WHEN k % 5 = 4 THEN 'teleconsultation' ELSE 'in_person' END
       FROM (SELECT id, practice_id, row_number() OVER (ORDER BY id) AS n FROM practitioner WHERE practice_id IN (SELECT id FROM bench_new_practice)) pr
      CROSS JOIN generate_series(0, $1::int - 1) k
      CROSS JOIN LATERAL (SELECT date_trunc('minute', now()) + interval '20 minutes' + k * interval '16 hours 48 minutes'
                                 + (pr.n % 48) * interval '20 minutes' AS s) t`,
    [SEED.slotsPerPractitioner],
  );
}

/** Commits the seeding transaction, analyses, and counts the territory. */
async function commitAndCount(c: PoolClient): Promise<{ practices: number; practitioners: number; slots: number }> {
  await c.query('COMMIT');
  await c.query('ANALYZE');
  return (
    await c.query(`SELECT (SELECT count(*) FROM practice)::int AS practices, (SELECT count(*) FROM practitioner)::int AS practitioners,
                          (SELECT count(*) FROM slot)::int AS slots`)
  ).rows[0];
}

export async function seedTerritory(pool: Pool, communityName: string): Promise<BenchTerritory> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT setseed(0.42)');
    await c.query(`CREATE TEMP TABLE bench_cluster ON COMMIT DROP AS
      SELECT i, 43.3 + random() * 6.8 AS lat, -1.2 + random() * 8.3 AS lon FROM generate_series(0, $1::int - 1) i`, [SEED.clusters]);
    const [{ id: communityId }] = (
      await c.query(`INSERT INTO community (name, finess) VALUES ($1, $2) RETURNING id`, [communityName, BENCH_FINESS])
    ).rows;
    // Practices: 30 % in the cluster's town centre (within ~2 km), the rest scattered up to ~25 km.
    await c.query(
      `WITH codes AS (SELECT array_agg(code ORDER BY code) AS a FROM (SELECT code FROM commune ORDER BY code LIMIT 1000) x)
       INSERT INTO practice (community_id, name, address, address_line, postcode, city, commune_code, phone, lat, lon)
       SELECT $1, 'Cabinet bench ' || g, g || ' rue de la Santé', g || ' rue de la Santé', '28200', 'Châteaudun', codes.a[1 + g % array_length(codes.a, 1)], '+33237000000',
              cl.lat + (random() - 0.5) * CASE WHEN g % 10 < 3 THEN 0.03 ELSE 0.45 END,
              cl.lon + (random() - 0.5) * CASE WHEN g % 10 < 3 THEN 0.04 ELSE 0.6 END
         FROM generate_series(0, $2::int - 1) g
         JOIN bench_cluster cl ON cl.i = g % $3::int
        CROSS JOIN codes`,
      [communityId, SEED.practices, SEED.clusters],
    );
    await c.query(`CREATE TEMP TABLE bench_new_practice ON COMMIT DROP AS SELECT id FROM practice WHERE community_id = $1`, [communityId]);
    await addPractitionersAndSlots(c);
    const centres = (await c.query(`SELECT lat, lon FROM bench_cluster ORDER BY i`)).rows;
    const counts = await commitAndCount(c);
    const searchCentres = weighted(centres.map((x: { lat: number; lon: number }) => ({ ...x, practices: SEED.practices / SEED.clusters })));
    return { clusters: SEED.clusters, centres, searchCentres, ...counts };
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

/** The national scale: 10,000 practices (the small territory's 3,000 and 7,000 more), hence 100,000 practitioners and 1,000,000 slots. */
export const NATIONAL = { practices: 10_000 };

/**
 * Grows the small territory to the national scale in place: 7,000 more practices in the 96
 * departments of mainland France, in proportion to their population (Paris and its ring much
 * denser than Lozère), 30 % of each department's in its prefecture's town centre (within ~2 km),
 * the rest spread over the department, each in one of the department's communes; 10
 * practitioners each and 10 slots each over the coming 7 days, laid out as seedTerritory does.
 * Every practice stays in the bench's one CPTS, so that every slot is a candidate for every
 * search: the search's and the engine's worst case. Answers the territory as it now is.
 */
export async function growNational(pool: Pool, communityName: string, small: BenchTerritory): Promise<BenchTerritory> {
  const added = NATIONAL.practices - SEED.practices;
  const shares = shareByPopulation(added);
  const departments = DEPARTMENTS.map((d) => ({ ...d, practices: shares.get(d.code) ?? 0 }));
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT setseed(0.43)');
    await c.query(
      `CREATE TEMP TABLE bench_department ON COMMIT DROP AS
       SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::int[]) AS d(code, lat, lon, spread_lat, spread_lon, practices)`,
      [departments.map((d) => d.code), departments.map((d) => d.lat), departments.map((d) => d.lon),
        departments.map((d) => d.spreadLat), departments.map((d) => d.spreadLon), departments.map((d) => d.practices)],
    );
    const [{ id: communityId }] = (await c.query(`SELECT id FROM community WHERE name = $1`, [communityName])).rows;
    await c.query(`CREATE TEMP TABLE bench_new_practice (id uuid PRIMARY KEY) ON COMMIT DROP`);
    await c.query(
      `WITH codes AS (
         SELECT d.code, coalesce((SELECT array_agg(m.code ORDER BY m.code) FROM commune m WHERE m.department = d.code),
                                 (SELECT array_agg(code) FROM (SELECT code FROM commune ORDER BY code LIMIT 1) x)) AS a
           FROM bench_department d
       ), added AS (
         INSERT INTO practice (community_id, name, address, address_line, postcode, city, commune_code, phone, lat, lon)
         SELECT $1, 'Cabinet national ' || d.code || '-' || g, g || ' avenue de la République', g || ' avenue de la République', '75001', 'Paris',
                codes.a[1 + g % array_length(codes.a, 1)], '+33140000000',
                d.lat + (random() - 0.5) * CASE WHEN g % 10 < 3 THEN 0.03 ELSE 2 * d.spread_lat END,
                d.lon + (random() - 0.5) * CASE WHEN g % 10 < 3 THEN 0.04 ELSE 2 * d.spread_lon END
           FROM bench_department d
           JOIN codes ON codes.code = d.code
          CROSS JOIN LATERAL generate_series(0, d.practices - 1) g
         RETURNING id
       )
       INSERT INTO bench_new_practice SELECT id FROM added`,
      [communityId],
    );
    await addPractitionersAndSlots(c);
    const counts = await commitAndCount(c);
    const centres = [...small.centres, ...departments.map(({ lat, lon }) => ({ lat, lon }))];
    const searchCentres = [...small.searchCentres, ...weighted(departments)];
    return { clusters: SEED.clusters + departments.length, centres, searchCentres, ...counts };
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}
