import { Pool } from 'pg';

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
}

/** The bench CPTS's FINESS (a valid Luhn key): the SAS façade shows only CPTS that have one. */
export const BENCH_FINESS = '280001231';

export const SEED = {
  clusters: 60,
  practices: 3000,
  practitionersPerPractice: 10,
  slotsPerPractitioner: 10,
};

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
    await c.query(
      `INSERT INTO practitioner (rpps, first_name, last_name, profession, specialty, practice_id, min_patient_age_months, modalities)
       SELECT '9' || lpad((row_number() OVER ())::text, 10, '0'), 'Prénom', 'Médecin ' || p.id, 'general_practitioner', 'SM54', p.id,
              CASE WHEN k % 5 = 0 THEN 72 ELSE 0 END, '{in_person,teleconsultation}'
         FROM practice p CROSS JOIN generate_series(0, $1::int - 1) k
        WHERE p.community_id = $2`,
      [SEED.practitionersPerPractice, communityId],
    );
    // Slot k of practitioner n starts 20 min from now + k × 16 h 48 + (n mod 48) × 20 min: the ten
    // slots of one practitioner never overlap and the whole set covers 7 days.
    await c.query(
      `INSERT INTO slot (practitioner_id, practice_id, starts_at, ends_at, modality)
       SELECT pr.id, pr.practice_id, t.s, t.s + interval '15 minutes', CASE WHEN k % 5 = 4 THEN 'teleconsultation' ELSE 'in_person' END
         FROM (SELECT id, practice_id, row_number() OVER (ORDER BY id) AS n FROM practitioner) pr
        CROSS JOIN generate_series(0, $1::int - 1) k
        CROSS JOIN LATERAL (SELECT date_trunc('minute', now()) + interval '20 minutes' + k * interval '16 hours 48 minutes'
                                   + (pr.n % 48) * interval '20 minutes' AS s) t`,
      [SEED.slotsPerPractitioner],
    );
    const centres = (await c.query(`SELECT lat, lon FROM bench_cluster ORDER BY i`)).rows;
    await c.query('COMMIT');
    await c.query('ANALYZE');
    const counts = (
      await c.query(`SELECT (SELECT count(*) FROM practice)::int AS practices, (SELECT count(*) FROM practitioner)::int AS practitioners,
                            (SELECT count(*) FROM slot)::int AS slots`)
    ).rows[0];
    return { clusters: SEED.clusters, centres, ...counts };
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}
