import { DataSource } from 'typeorm';
import { preparedQuery } from '../database/prepared';
import { SEARCH_SQL, SearchCriteria, searchParams } from '../slots/slot-search';
import { Candidate } from './scoring';

/**
 * The search's best free slots for a request, each with how many slots its GP already has booked
 * that day in Paris (the fair-spread term of the score): one prepared statement, one round trip.
 */
export const CANDIDATES_SQL = `
  SELECT f.*, (
    SELECT count(*)::int FROM slot b
     WHERE b.practitioner_id = f.practitioner_id AND b.status = 'booked'
       AND tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(
             date_trunc('day', f.starts_at AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'Europe/Paris',
             (date_trunc('day', f.starts_at AT TIME ZONE 'Europe/Paris') + interval '1 day') AT TIME ZONE 'Europe/Paris', '[)')
  ) AS booked_that_day
  FROM (${SEARCH_SQL}) f`;

/** The name CANDIDATES_SQL is prepared under. */
export const CANDIDATES_STATEMENT = 'match_candidates_v2';

export async function candidatesFor(dataSource: DataSource, c: SearchCriteria): Promise<Candidate[]> {
  return candidatesOf(await preparedQuery(dataSource, CANDIDATES_STATEMENT, CANDIDATES_SQL, searchParams(c)));
}

/** CANDIDATES_SQL's rows as the scoring reads them. */
export function candidatesOf(rows: any[]): Candidate[] {
  return rows.map((r) => ({
    slotId: r.id,
    practitionerId: r.practitioner_id,
    start: r.starts_at,
    modality: r.modality,
    distanceKm: r.distance_km,
    minPatientAgeMonths: r.min_patient_age_months,
    bookedThatDay: r.booked_that_day,
  }));
}
