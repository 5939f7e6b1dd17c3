import { DataSource } from 'typeorm';
import { preparedQuery } from '../database/prepared';
import { KM_WEIGHT_MINUTES } from './ranking';
import { Viewer, viewerParams, visibleSlotSql } from './audiences';

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
  /** Who is looking: only the slots of their audiences (audiences.ts). */
  viewer: Viewer;
}

export interface SearchResult {
  slot: { id: string; start: string; end: string; modality: string };
  /** Null when the search was of one practitioner's agenda, with no place given. */
  distanceKm: number | null;
  practitioner: { id: string; firstName: string; lastName: string; profession: string; minPatientAgeMonths: number };
  practice: { id: string; name: string; address: string; phone: string };
}

/**
 * A slot `s` that can be booked now: free, or held with a lapsed hold (the partial index
 * slot_open_practice_idx covers the IN; the OR reads the hold). Starting later is the caller's.
 */
export const BOOKABLE_SLOT = `s.status IN ('free', 'held') AND (s.status = 'free' OR s.hold_expires_at < now())`;

/** A slot `s` of nearby practice `n` (SEARCH_SQL's `near`) that the search may answer: bookable, in the window, of the modality, for the patient's age, in the viewer's audiences, not the one excluded. */
const FITS = `${BOOKABLE_SLOT}
                 AND s.starts_at >= o.t0 AND s.starts_at < $4::timestamptz
                 AND ($6::text[] IS NULL OR s.modality = ANY($6::text[]))
                 AND ($9::uuid IS NULL OR s.id <> $9::uuid)
                 AND (n.too_young IS NULL OR s.practitioner_id <> ALL(n.too_young))
                 AND ${visibleSlotSql('s', 'n.community_id', '$10', '$11', '$12')}`;

/**
 * The free slots near a point, best first (rule in ranking.ts). The practice GiST index on the
 * stored earth point narrows to practices inside the circle, and each one's distance is computed
 * once (earth_distance is costly; computing it per slot row tripled the query's time). For a
 * patient's age, each nearby practice names the practitioners who do not see patients this young
 * (index-only scan). Only the slots of the viewer's audiences ($10–$12, audiences.ts) are
 * candidates; an expired hold counts as free at once.
 *
 * Where practices are dense (a city: a thousand within 30 km, 15,000 open slots in 24 h), reading
 * every nearby slot to keep the best 10 costs milliseconds per thousand, so the statement prunes,
 * exactly: a practice's slots cost more the later they start (its distance is the same), so its
 * first fitting slot is its cheapest (`first`: one ordered probe of the partial index
 * slot_open_practice_idx per practice, stopping at the first fit). The LIMIT-th cheapest of those
 * first slots is a ceiling: LIMIT distinct slots cost no more, so no slot above it ranks. Only the
 * practices whose first slot is under the ceiling are read further, each up to the ceiling and at
 * most LIMIT slots; with fewer than LIMIT practices there is no ceiling. The best LIMIT are ranked
 * before their practitioners are read (20 rows, not every candidate).
 */
export const SEARCH_SQL = `
  WITH origin AS (SELECT ll_to_earth($1::float8, $2::float8) AS e, greatest($3::timestamptz, now()) AS t0),
  near AS MATERIALIZED (
    SELECT p.id, p.community_id, p.name, p.address, p.phone, p.m / 1000 AS km,
           CASE WHEN $7::int IS NULL THEN NULL
                ELSE ARRAY(SELECT pr.id FROM practitioner pr WHERE pr.practice_id = p.id AND pr.min_patient_age_months > $7::int) END AS too_young
      -- OFFSET 0: the distance is computed once per practice, not again in the WHERE
      FROM (SELECT p.*, earth_distance(p.earth, o.e) AS m FROM origin o JOIN practice p ON earth_box(o.e, $5::float8 * 1000) @> p.earth OFFSET 0) p
     WHERE p.m <= $5::float8 * 1000
  ),
  first AS MATERIALIZED (
    SELECT n.*, date_part('epoch', f.starts_at - o.t0) / 60 + ${KM_WEIGHT_MINUTES} * n.km AS first_cost
      FROM origin o
      JOIN near n ON TRUE
     CROSS JOIN LATERAL (SELECT s.starts_at FROM slot s WHERE s.practice_id = n.id AND ${FITS} ORDER BY s.starts_at LIMIT 1) f
  ),
  ceiling AS MATERIALIZED (
    SELECT CASE WHEN count(*) < $8::int THEN NULL ELSE max(first_cost) END AS cost FROM (SELECT first_cost FROM first ORDER BY first_cost LIMIT $8::int) c
  ),
  best AS (
    SELECT s.id, s.starts_at, s.ends_at, s.modality, s.practitioner_id, n.km, n.id AS practice_id, n.name, n.address, n.phone,
           date_part('epoch', s.starts_at - o.t0) / 60 + ${KM_WEIGHT_MINUTES} * n.km AS cost
      FROM origin o
      JOIN ceiling ON TRUE
      JOIN first n ON ceiling.cost IS NULL OR n.first_cost <= ceiling.cost
     CROSS JOIN LATERAL (
       SELECT s.* FROM slot s
        WHERE s.practice_id = n.id AND ${FITS}
          -- up to the ceiling (an index bound), with a minute's margin against rounding: a slot more is harmless, one less is not
          AND s.starts_at <= coalesce(o.t0 + (ceiling.cost - ${KM_WEIGHT_MINUTES} * n.km + 1) * interval '1 minute', 'infinity')
        ORDER BY s.starts_at, s.id
        LIMIT $8::int
     ) s
     ORDER BY cost, s.starts_at, n.km, s.id
     LIMIT $8::int
  )
  SELECT b.id, b.starts_at, b.ends_at, b.modality, round(b.km::numeric, 2)::float8 AS distance_km,
         pr.id AS practitioner_id, pr.first_name, pr.last_name, pr.profession, pr.min_patient_age_months,
         b.practice_id, b.name AS practice_name, b.address, b.phone
    FROM best b
    JOIN practitioner pr ON pr.id = b.practitioner_id
   ORDER BY b.cost, b.starts_at, b.km, b.id`;

/** The name SEARCH_SQL is prepared under (the benchmark's raw baseline prepares it the same way). */
export const SEARCH_STATEMENT = 'slot_search_v4';

export function searchParams(c: SearchCriteria): unknown[] {
  const modalities = c.modalities ?? (c.modality ? [c.modality] : null);
  return [c.lat, c.lon, c.from, c.to, c.maxDistanceKm, modalities, c.patientAgeMonths ?? null, c.limit, c.excludeSlotId ?? null, ...viewerParams(c.viewer)];
}

/**
 * Run as a named prepared statement: planning cost as much as running. The plan does not hinge on
 * the values (a GiST range on practices, then per-practice index ranges); on the benchmark territory
 * both ways gave the same answers, prepared about a fifth faster.
 */
export async function searchFreeSlots(dataSource: DataSource, c: SearchCriteria): Promise<SearchResult[]> {
  const rows = await preparedQuery(dataSource, SEARCH_STATEMENT, SEARCH_SQL, searchParams(c));
  return rows.map(toSearchResult);
}

/** A row of SEARCH_SQL (or of a query wrapping it) as the API answers it. */
export function toSearchResult(r: any): SearchResult {
  return {
    slot: { id: r.id, start: r.starts_at.toISOString(), end: r.ends_at.toISOString(), modality: r.modality },
    distanceKm: r.distance_km ?? null,
    practitioner: { id: r.practitioner_id, firstName: r.first_name, lastName: r.last_name, profession: r.profession, minPatientAgeMonths: r.min_patient_age_months },
    practice: { id: r.practice_id, name: r.practice_name, address: r.address, phone: r.phone },
  };
}

/** How many free slots of one agenda `GET /slots/search?practitionerId=` answers by default. */
export const AGENDA_LIMIT = 50;

export interface AgendaCriteria {
  practitionerId: string;
  from: Date;
  to: Date;
  limit: number;
  modality?: string | null;
  patientAgeMonths?: number | null;
  viewer: Viewer;
}

/**
 * One practitioner's bookable slots in a window, soonest first, in the search's answer shape
 * (no distance: no place was given): the agenda the SAS's link opens. Same rules as the search:
 * bookable now, not started, the viewer's audiences, the patient's age.
 */
const AGENDA_SQL = `
  SELECT s.id, s.starts_at, s.ends_at, s.modality, NULL::float8 AS distance_km,
         pr.id AS practitioner_id, pr.first_name, pr.last_name, pr.profession, pr.min_patient_age_months,
         p.id AS practice_id, p.name AS practice_name, p.address, p.phone
    FROM practitioner pr JOIN practice p ON p.id = pr.practice_id
    JOIN slot s ON s.practitioner_id = pr.id
               AND ${BOOKABLE_SLOT}
               AND s.starts_at >= greatest($2::timestamptz, now()) AND s.starts_at < $3::timestamptz
               AND ($5::text IS NULL OR s.modality = $5::text)
               AND ${visibleSlotSql('s', 'p.community_id', '$7', '$8', '$9')}
   WHERE pr.id = $1::uuid AND ($6::int IS NULL OR pr.min_patient_age_months <= $6::int)
   ORDER BY s.starts_at, s.id
   LIMIT $4::int`;

export async function agendaFreeSlots(dataSource: DataSource, c: AgendaCriteria): Promise<SearchResult[]> {
  const rows = await preparedQuery(dataSource, 'agenda_free_slots_v1', AGENDA_SQL, [
    c.practitionerId, c.from, c.to, c.limit, c.modality ?? null, c.patientAgeMonths ?? null, ...viewerParams(c.viewer),
  ]);
  return rows.map(toSearchResult);
}
