import { EntityManager } from 'typeorm';
import { KM_WEIGHT_MINUTES } from './ranking';

export interface SearchCriteria {
  lat: number;
  lon: number;
  from: Date;
  to: Date;
  maxDistanceKm: number;
  limit: number;
  modality?: string | null;
  /** Any of these modalities (matching); `modality` is the one-modality form of search. */
  modalities?: string[] | null;
  patientAgeMonths?: number | null;
  excludeSlotId?: string | null;
}

export interface SearchResult {
  slot: { id: string; start: string; end: string; modality: string };
  distanceKm: number;
  practitioner: { id: string; firstName: string; lastName: string; profession: string; minPatientAgeMonths: number };
  practice: { id: string; name: string; address: string; phone: string };
}

/**
 * The free slots near a point, best first (rule in ranking.ts). The practice GiST index on
 * ll_to_earth(lat, lon) narrows to practices inside the circle, and each one's distance is computed
 * once (earth_distance is costly; computing it per slot row tripled the query's time). Each nearby
 * practice's open slots in the window come from the partial index slot_open_practice_idx. An
 * expired hold counts as free at once.
 */
export const SEARCH_SQL = `
  WITH origin AS (SELECT ll_to_earth($1::float8, $2::float8) AS e, greatest($3::timestamptz, now()) AS t0),
  near AS MATERIALIZED (
    SELECT p.id, p.name, p.address, p.phone, earth_distance(ll_to_earth(p.lat, p.lon), o.e) / 1000 AS km
      FROM origin o
      JOIN practice p ON earth_box(o.e, $5::float8 * 1000) @> ll_to_earth(p.lat, p.lon)
     WHERE earth_distance(ll_to_earth(p.lat, p.lon), o.e) <= $5::float8 * 1000
  )
  SELECT s.id, s.starts_at, s.ends_at, s.modality, round(n.km::numeric, 2)::float8 AS distance_km,
         pr.id AS practitioner_id, pr.first_name, pr.last_name, pr.profession, pr.min_patient_age_months,
         n.id AS practice_id, n.name AS practice_name, n.address, n.phone
    FROM origin o
    JOIN near n ON TRUE
    JOIN slot s ON s.practice_id = n.id
               AND s.status IN ('free', 'held') AND (s.status = 'free' OR s.hold_expires_at < now())
               AND s.starts_at >= o.t0 AND s.starts_at < $4::timestamptz
               AND ($6::text[] IS NULL OR s.modality = ANY($6::text[]))
               AND ($9::uuid IS NULL OR s.id <> $9::uuid)
    JOIN practitioner pr ON pr.id = s.practitioner_id AND ($7::int IS NULL OR pr.min_patient_age_months <= $7::int)
   ORDER BY date_part('epoch', s.starts_at - o.t0) / 60 + ${KM_WEIGHT_MINUTES} * n.km, s.starts_at, n.km, s.id
   LIMIT $8::int`;

export function searchParams(c: SearchCriteria): unknown[] {
  const modalities = c.modalities ?? (c.modality ? [c.modality] : null);
  return [c.lat, c.lon, c.from, c.to, c.maxDistanceKm, modalities, c.patientAgeMonths ?? null, c.limit, c.excludeSlotId ?? null];
}

export async function searchFreeSlots(em: EntityManager, c: SearchCriteria): Promise<SearchResult[]> {
  const rows = await em.query(SEARCH_SQL, searchParams(c));
  return rows.map((r: any) => ({
    slot: { id: r.id, start: r.starts_at.toISOString(), end: r.ends_at.toISOString(), modality: r.modality },
    distanceKm: r.distance_km,
    practitioner: { id: r.practitioner_id, firstName: r.first_name, lastName: r.last_name, profession: r.profession, minPatientAgeMonths: r.min_patient_age_months },
    practice: { id: r.practice_id, name: r.practice_name, address: r.address, phone: r.phone },
  }));
}
