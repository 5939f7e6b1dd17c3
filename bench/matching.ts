/**
 * The matching engine under load, in worker processes (`node dist/src/worker.js`) beside the API
 * (which runs no worker here), on the seeded territory:
 *
 *   throughput  N requests filed while the queue is paused, then released at once to 1, then 2,
 *               worker processes: requests matched per second, from release to the last booking;
 *               several rounds each, the median counts
 *   latency     requests filed at a steady 50 per second with one worker: from the client's
 *               POST /requests to the booking (matched_at, same machine clock), p50/p95
 *
 * then checks every matched request: one booking each, no slot twice, window and distance kept.
 */
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { HttpClient } from './http-client';
import { LatencySummary, medianBy, near, prng, summarize } from './stats';
import { CpuSnapshot, cpuPer } from './machine';
import { benchPatient } from './booking';

export interface MatchingBenchContext {
  http: HttpClient;
  pool: Pool;
  tokens: string[];
  centres: { lat: number; lon: number }[];
  queue: Queue;
  /** Starts a worker process; resolves once it is connected to the queue. */
  startWorker: () => Promise<() => Promise<void>>;
  /** The raw baseline, run before each round: pgbench -N TPS on the same database. */
  baseline: () => Promise<number>;
  /** Before each measured round: the previous round's dead rows vacuumed, so no autovacuum lands in the middle. */
  settle: () => Promise<void>;
  /** CPU used so far by the service's processes, the database and Redis (ms), for the CPU a match costs each. */
  cpu?: () => CpuSnapshot;
  /** The engine's statements run raw on these requests (the floor of a worker): matched per second. */
  rawMatch?: (ids: string[]) => Promise<{ matched: number; seconds: number; perSecond: number; cpuMsPerMatch?: Record<string, number> }>;
}

export interface RawMatchFigures {
  requests: number;
  matched: number;
  seconds: number;
  perSecond: number;
  cpuMsPerMatch?: Record<string, number>;
}

export interface ThroughputFigures {
  workers: number;
  requests: number;
  fileSeconds: number;
  matched: number;
  other: Record<string, number>;
  seconds: number;
  perSecond: number;
  /** pgbench -N TPS just before this round (0 for warm-up rounds). */
  baselineTps: number;
  /** CPU ms per matched request, per process kind, from release to the last match. */
  cpuMsPerMatch?: Record<string, number>;
}

export interface LatencyFigures {
  ratePerSecond: number;
  requests: number;
  matched: number;
  latency: LatencySummary;
}

const FILING_CLIENTS = 32;

/** Requests near the territory's towns, as secretaries would file them (some priority patients, some children). */
class RequestMaker {
  private readonly rnd = prng(23);
  private n = 0;

  constructor(private readonly ctx: MatchingBenchContext) {}

  body() {
    const c = this.ctx.centres[Math.floor(this.rnd() * this.ctx.centres.length)];
    const child = this.rnd() < 0.15;
    return {
      patient: {
        firstName: 'Camille',
        lastName: `Attente${++this.n}`,
        birthDate: child ? '2023-02-11' : this.rnd() < 0.2 ? '1948-09-30' : '1985-04-02',
        phone: benchPatient(this.n).phone,
        hasReferringGp: this.rnd() > 0.1,
      },
      location: near(c, this.rnd),
      modalities: this.rnd() < 0.3 ? ['in_person', 'teleconsultation'] : ['in_person'],
      chronicCondition: this.rnd() < 0.1,
    };
  }

  async file(i: number): Promise<{ id: string; sentAt: number }> {
    const headers = { authorization: `Bearer ${this.ctx.tokens[i % this.ctx.tokens.length]}` };
    const sentAt = Date.now();
    const r = await this.ctx.http.request('POST', '/api/v1/requests', headers, this.body());
    if (r.status !== 202) throw new Error(`POST /requests: ${r.status} ${JSON.stringify(r.body)}`);
    return { id: r.body.id, sentAt };
  }
}

/**
 * Waits until none of `ids` (filed since `since`) is pending, or until the pending count has not
 * moved for 10 s (a request nothing fits waits for its escalation); their statuses and the last
 * booking time. Polls a cheap count over the partial index of pending requests, so that watching
 * does not load the database it measures; the figures are read once at the end.
 */
async function settled(pool: Pool, ids: string[], since: Date) {
  let last = -1;
  let movedAt = Date.now();
  for (;;) {
    const [{ pending }] = (await pool.query(`SELECT count(*)::int AS pending FROM snp_request WHERE status = 'pending' AND created_at >= $1`, [since])).rows;
    if (!pending) break;
    if (pending !== last) [last, movedAt] = [pending, Date.now()];
    else if (Date.now() - movedAt > 10_000) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const { rows } = await pool.query(
    `SELECT status, count(*)::int AS n, max(matched_at) AS last FROM snp_request WHERE id = ANY($1::uuid[]) GROUP BY status`,
    [ids],
  );
  const statuses: Record<string, number> = Object.fromEntries(rows.map((r) => [r.status, r.n]));
  const lastMatch = rows.find((r) => r.status === 'matched')?.last as Date | undefined;
  return { statuses, last: lastMatch };
}

/** N requests filed through the API while the queue is paused: their ids. */
async function filePaused(ctx: MatchingBenchContext, maker: RequestMaker, n: number): Promise<string[]> {
  await ctx.queue.pause();
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: FILING_CLIENTS }, async (_, c) => {
      while (next < n) {
        const i = next++;
        ids[i] = (await maker.file(c)).id;
      }
    }),
  );
  return ids;
}

/** N requests filed while the queue is paused, matched by the engine's statements run raw; their jobs then dropped. */
async function rawThroughput(ctx: MatchingBenchContext, maker: RequestMaker, n: number): Promise<RawMatchFigures> {
  const ids = await filePaused(ctx, maker, n);
  const r = await ctx.rawMatch!(ids);
  await ctx.queue.drain(true);
  return { requests: n, ...r };
}

/** N requests queued while paused, then released to `workers` processes at once. */
async function throughput(ctx: MatchingBenchContext, maker: RequestMaker, workers: number, n: number, baselineTps = 0): Promise<ThroughputFigures> {
  const since = new Date(Date.now() - 1000);
  const t0 = Date.now();
  const ids = await filePaused(ctx, maker, n);
  const fileSeconds = (Date.now() - t0) / 1000;
  const cpuBefore = ctx.cpu?.();
  const releasedAt = Date.now();
  await ctx.queue.resume();
  const { statuses, last } = await settled(ctx.pool, ids, since);
  const cpuAfter = ctx.cpu?.();
  const { matched = 0, ...other } = statuses;
  const seconds = last ? (last.getTime() - releasedAt) / 1000 : NaN;
  const cpuMsPerMatch = cpuBefore && cpuAfter ? cpuPer(cpuBefore, cpuAfter, matched) : undefined;
  return { workers, requests: n, fileSeconds, matched, other, seconds, perSecond: matched / seconds, baselineTps, cpuMsPerMatch };
}

/** Open loop: one request every 1000/rate ms for `seconds`, whatever the answers' pace. */
async function latency(ctx: MatchingBenchContext, maker: RequestMaker, rate: number, seconds: number): Promise<LatencyFigures> {
  const filed: Promise<{ id: string; sentAt: number }>[] = [];
  const since = new Date(Date.now() - 1000);
  const start = Date.now();
  for (let i = 0; i < rate * seconds; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    filed.push(maker.file(i));
  }
  const sent = await Promise.all(filed);
  await settled(ctx.pool, sent.map((s) => s.id), since);
  const { rows } = await ctx.pool.query(`SELECT id, matched_at FROM snp_request WHERE id = ANY($1::uuid[]) AND status = 'matched'`, [sent.map((s) => s.id)]);
  const matchedAt = new Map<string, Date>(rows.map((r) => [r.id, r.matched_at]));
  const delays = sent.filter((s) => matchedAt.has(s.id)).map((s) => matchedAt.get(s.id)!.getTime() - s.sentAt);
  return { ratePerSecond: rate, requests: sent.length, matched: delays.length, latency: summarize(delays) };
}

/** Every matched request has its own booking, on a slot booked once, inside its window and reach. */
export async function matchingIntegrity(pool: Pool) {
  return (
    await pool.query(`SELECT
        (SELECT count(*) FROM snp_request WHERE status = 'matched')::int AS "matchedRequests",
        (SELECT count(*) FROM snp_request r JOIN booking b ON b.id = r.booking_id AND b.status <> 'cancelled' AND b.channel = 'matching'
          WHERE r.status = 'matched')::int AS "withLiveBooking",
        (SELECT count(*) FROM snp_request r JOIN booking b ON b.id = r.booking_id JOIN slot s ON s.id = b.slot_id JOIN practice p ON p.id = s.practice_id
          WHERE r.status = 'matched' AND (s.starts_at < r.not_before OR s.starts_at >= r.not_after OR NOT s.modality = ANY(r.modalities)
             OR earth_distance(ll_to_earth(p.lat, p.lon), ll_to_earth(r.lat, r.lon)) > r.max_distance_km * 1000))::int AS "outsideConstraints"`)
  ).rows[0] as { matchedRequests: number; withLiveBooking: number; outsideConstraints: number };
}

/** The round with the median rate. */
export const median = (rounds: ThroughputFigures[]): ThroughputFigures => medianBy(rounds, (r) => r.perSecond);

export async function benchMatching(ctx: MatchingBenchContext, o: { requests: number; rounds: number; rate: number; seconds: number }) {
  const maker = new RequestMaker(ctx);
  const stops: Array<() => Promise<void>> = [];
  const raw: RawMatchFigures[] = [];
  const rounds = async (workers: number) => {
    // Warm-up, not counted: the new worker's pool connections and prepared statements, JIT.
    await throughput(ctx, maker, workers, 200);
    const done: ThroughputFigures[] = [];
    for (let i = 0; i < o.rounds; i++) {
      // pgbench first, then the database settled: the round does not pay for pgbench's dirty pages and WAL.
      const tps = await ctx.baseline();
      await ctx.settle();
      // With one worker, the same statements raw in the same round (odd rounds first, even rounds after).
      const rawNow = workers === 1 && ctx.rawMatch && i % 2 === 0;
      if (rawNow) raw.push(await rawThroughput(ctx, maker, o.requests)), await ctx.settle();
      done.push(await throughput(ctx, maker, workers, o.requests, tps));
      if (workers === 1 && ctx.rawMatch && !rawNow) await ctx.settle(), raw.push(await rawThroughput(ctx, maker, o.requests));
    }
    return done;
  };
  try {
    stops.push(await ctx.startWorker());
    const one = await rounds(1);
    await ctx.settle();
    const steady = await latency(ctx, maker, o.rate, o.seconds);
    stops.push(await ctx.startWorker());
    const two = await rounds(2);
    return { one, two, steady, raw };
  } finally {
    await ctx.queue.resume().catch(() => undefined);
    for (const stop of stops) await stop();
  }
}
