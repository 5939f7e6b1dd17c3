import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { preparedQuery } from '../database/prepared';
import { BOOKABLE_SLOT } from './slot-search';
import { Viewer, viewerParams, visibleSlotSql } from './audiences';

/**
 * Free slots around a place, counted per time bucket (with how many GPs offer them) and per
 * commune, in one statement. Bucket boundaries are aligned on Paris local time (from the Paris
 * midnight before `from`), so hourly buckets start on the hour across daylight-saving changes.
 * Bookable means what the booking statement takes: free, or held with an expired hold, not started.
 */
export const AVAILABILITY_SQL = `
  WITH near AS MATERIALIZED (
    SELECT p.id, p.community_id, p.commune_code, earth_distance(p.earth, ll_to_earth($1, $2)) AS metres FROM practice p
     WHERE earth_box(ll_to_earth($1, $2), $3) @> p.earth AND earth_distance(p.earth, ll_to_earth($1, $2)) <= $3
  ), free AS MATERIALIZED (
    SELECT s.starts_at, s.practitioner_id, near.commune_code, near.metres
      FROM near JOIN slot s ON s.practice_id = near.id
     WHERE ${BOOKABLE_SLOT}
       AND s.starts_at >= greatest($4::timestamptz, now()) AND s.starts_at < $5
       AND ${visibleSlotSql('s', 'near.community_id', '$8', '$9', '$10')}
  ), counted AS (
    SELECT date_bin($7 * interval '1 minute', starts_at, $6) AS bucket, count(*)::int AS n, count(DISTINCT practitioner_id)::int AS pr FROM free GROUP BY 1
  )
  SELECT
    (SELECT coalesce(json_agg(json_build_object('start', g.start, 'freeSlots', coalesce(c.n, 0), 'practitioners', coalesce(c.pr, 0)) ORDER BY g.start), '[]')
       FROM generate_series($6::timestamptz, $5::timestamptz - interval '1 microsecond', $7 * interval '1 minute') AS g(start)
       LEFT JOIN counted c ON c.bucket = g.start
      WHERE g.start + $7 * interval '1 minute' > $4) AS buckets,
    (SELECT coalesce(json_agg(json_build_object('communeCode', f.commune_code, 'name', cm.name, 'freeSlots', f.n,
                                                'distanceKm', round((f.metres / 1000)::numeric, 1), 'nextStart', f.next) ORDER BY f.n DESC, cm.name), '[]')
       FROM (SELECT commune_code, count(*)::int AS n, min(metres) AS metres, min(starts_at) AS next FROM free GROUP BY 1) f JOIN commune cm ON cm.code = f.commune_code) AS by_commune`;

export interface AvailabilityCriteria {
  lat: number;
  lon: number;
  radiusKm: number;
  from: Date;
  to: Date;
  bucketMinutes: number;
  /** Who is looking: only the slots of their audiences are counted. */
  viewer: Viewer;
}

export interface Availability {
  buckets: Array<{ start: string; freeSlots: number; practitioners: number }>;
  /** Per commune: free slots, the nearest of its practices with one (km), and the first free start. */
  byCommune: Array<{ communeCode: string; name: string; freeSlots: number; distanceKm: number; nextStart: string }>;
}

/** The first bucket boundary at or before `from`: Paris midnight plus whole buckets. */
export function bucketOrigin(from: Date, bucketMinutes: number): Date {
  const local = DateTime.fromJSDate(from, { zone: 'Europe/Paris' });
  const midnight = local.startOf('day');
  const minutes = Math.floor(local.diff(midnight, 'minutes').minutes / bucketMinutes) * bucketMinutes;
  return midnight.plus({ minutes }).toJSDate();
}

export const AVAILABILITY_STATEMENT = 'availability_v3';

/** The statement's parameters (the benchmark runs it raw with the same). */
export function availabilityParams(c: AvailabilityCriteria): unknown[] {
  return [c.lat, c.lon, c.radiusKm * 1000, c.from, c.to, bucketOrigin(c.from, c.bucketMinutes), c.bucketMinutes, ...viewerParams(c.viewer)];
}

export async function availability(dataSource: DataSource, c: AvailabilityCriteria): Promise<Availability> {
  const [row] = await preparedQuery(dataSource, AVAILABILITY_STATEMENT, AVAILABILITY_SQL, availabilityParams(c));
  return {
    buckets: row.buckets.map((b: { start: string; freeSlots: number; practitioners: number }) => ({ ...b, start: new Date(b.start).toISOString() })),
    byCommune: row.by_commune.map((c: { nextStart: string }) => ({ ...c, nextStart: new Date(c.nextStart).toISOString() })),
  };
}
