/**
 * The matching engine's floor: what MatchingService.attempt() sends to PostgreSQL for a request,
 * with the same statements (prepared under the same names) and parameters, on a `pg` pool, as many
 * requests at once as a worker runs jobs: the request read, the candidates (the search and each
 * one's bookings that day), the ranking, the booking-for-request statement down the ranking until
 * one takes, else the missed attempt. No queue, no framework, no messages queued. A match is a
 * search and a booking: this floor against the raw booking statement says what a worker could at
 * best reach against the booking API.
 */
import { Pool } from 'pg';
// The service's type parsers (a date column read as its text YYYY-MM-DD, as the engine reads it).
import '../src/database/data-source-options';
import { bookParams } from '../src/bookings/bookings.service';
import { CANDIDATES_SQL, CANDIDATES_STATEMENT, candidatesOf } from '../src/matching/candidates';
import { BOOK_FOR_REQUEST_SQL, BOOK_FOR_REQUEST_STATEMENT, MATCH_MISSED, MATCH_READ, matchCriteria, requestBooking } from '../src/matching/matching.service';
import { principalOfRequest } from '../src/matching/requests.service';
import { rankCandidates } from '../src/matching/scoring';
import { searchParams } from '../src/slots/slot-search';
import { CpuSnapshot, cpuPer } from './machine';
import { elapsedMs } from './stats';

async function matchOne(pool: Pool, id: string): Promise<boolean> {
  const [r] = (await pool.query({ ...MATCH_READ, values: [id] })).rows;
  if (!r || r.due || r.anonymised_at) return false;
  const now = new Date();
  const { criteria, constraints } = matchCriteria(r, now);
  const candidates = candidatesOf((await pool.query({ name: CANDIDATES_STATEMENT, text: CANDIDATES_SQL, values: searchParams(criteria) })).rows);
  for (const c of rankCandidates(candidates, constraints, now)) {
    const params = [...bookParams(principalOfRequest(r), requestBooking(r, c.slotId), r.patient_phone, constraints.patientAgeMonths, 'matching', null, null, false), id];
    try {
      if ((await pool.query({ name: BOOK_FOR_REQUEST_STATEMENT, text: BOOK_FOR_REQUEST_SQL, values: params })).rows.length) return true;
    } catch (e) {
      if ((e as any).code === '23505' && (e as any).constraint === 'booking_live_slot_uq') continue;
      throw e;
    }
  }
  await pool.query({ ...MATCH_MISSED, values: [id] });
  return false;
}

/**
 * Matches `ids`, `concurrency` at a time, on a pool of `poolSize` connections (opened before the
 * clock starts); `cpu` is read before and after, while the pool's backends are still there.
 */
export async function rawMatching(
  databaseUrl: string, ids: string[], concurrency: number, poolSize: number, cpu?: () => CpuSnapshot,
): Promise<{ matched: number; seconds: number; perSecond: number; cpuMsPerMatch?: Record<string, number> }> {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  try {
    const clients = await Promise.all(Array.from({ length: poolSize }, () => pool.connect()));
    clients.forEach((c) => c.release());
    let next = 0;
    let matched = 0;
    const cpuBefore = cpu?.();
    const t = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < ids.length) if (await matchOne(pool, ids[next++])) matched++;
      }),
    );
    const seconds = elapsedMs(t) / 1000;
    const cpuAfter = cpu?.();
    return { matched, seconds, perSecond: matched / seconds, cpuMsPerMatch: cpuBefore && cpuAfter ? cpuPer(cpuBefore, cpuAfter, matched) : undefined };
  } finally {
    await pool.end();
  }
}
