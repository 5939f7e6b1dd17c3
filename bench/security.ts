import { ChildProcess, execFile } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { Pool } from 'pg';
import { promisify } from 'util';
import { benchPatient } from './booking';
import { HttpClient } from './http-client';
import { elapsedMs, LatencySummary, near, prng, summarize } from './stats';

const run = promisify(execFile);

/**
 * The service before the protections of issue 11 (tenant scope in the statements, sessions
 * decided by Postgres, security headers, body guards, audit with address and hash chain, holds per
 * account): the last commit without them. Overridable with BENCH_BASELINE_REF.
 */
export const BASELINE_REF = process.env.BENCH_BASELINE_REF ?? '8493f20';

/**
 * Builds the baseline once (a git worktree of BASELINE_REF in node_modules/.cache/snp-baseline/<ref>,
 * out of the build's and the tests' way; `npm ci`, `nest build`) and answers its root, or null with
 * the reason when it cannot be had (a shallow clone without that commit, say).
 */
export async function baselineBuild(root: string, log: (s: string) => void): Promise<string | null> {
  const dir = join(root, 'node_modules', '.cache', 'snp-baseline', BASELINE_REF);
  if (existsSync(join(dir, 'dist', 'src', 'main.js'))) return dir;
  try {
    await run('git', ['-C', root, 'rev-parse', '--verify', `${BASELINE_REF}^{commit}`]);
  } catch {
    log(`skipped: commit ${BASELINE_REF} is not in this clone (a shallow clone?); BENCH_BASELINE_REF names another`);
    return null;
  }
  log(`building the baseline ${BASELINE_REF} in ${dir} (once; kept for the next runs)`);
  if (!existsSync(join(dir, 'package.json'))) await run('git', ['-C', root, 'worktree', 'add', '--force', '--detach', dir, BASELINE_REF]);
  await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  await run(process.execPath, [join(dir, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  return dir;
}

export interface SecurityDeps {
  pool: Pool;
  /** The API of the build in `root` on `port`, up (answers /health); the database already migrated. */
  startApi: (root: string, port: number) => Promise<ChildProcess>;
  stopProcess: (child: ChildProcess) => Promise<void>;
  freePort: () => Promise<number>;
  secretaries: string[];
  password: string;
  centres: { lat: number; lon: number }[];
  /** Vacuum and checkpoint between rounds. */
  settle: () => Promise<void>;
}

export interface SecurityFigures {
  baseline: string;
  booking: { before: number[]; after: number[]; beforePerSecond: number; afterPerSecond: number; ratio: number };
  search: { before: LatencySummary; after: LatencySummary; ratioP50: number; ratioP95: number };
  list: { before: LatencySummary; after: LatencySummary; ratioP50: number; ratioP95: number };
  /** Chaining the events the baseline left (it has no sealer): events, time, and per event. */
  sealed: { events: number; ms: number; usPerEvent: number };
  /** Events the service had not chained yet when its round ended (its sealer runs every second). */
  unsealedAfterRound: number;
}

interface Side {
  name: 'before' | 'after';
  root: string;
}

/** Signs the secretaries in on one API (each build signs its own tokens). */
async function signIn(http: HttpClient, emails: string[], password: string): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < emails.length; i += 8) {
    const batch = await Promise.all(emails.slice(i, i + 8).map(async (email) => {
      const res = await http.request('POST', '/api/v1/auth/login', {}, { email, password });
      if (res.status !== 200 || !res.body.accessToken) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.accessToken as string;
    }));
    tokens.push(...batch);
  }
  return tokens;
}

/**
 * `seconds` of the secretary's real flow by 64 clients at once: hold the next free slot, then book
 * it with the hold's token. Answers bookings per second.
 */
async function holdAndBook(http: HttpClient, tokens: string[], slots: { next: number; ids: string[] }, seconds: number): Promise<number> {
  let booked = 0;
  let n = 0;
  const stopAt = Date.now() + seconds * 1000;
  const start = process.hrtime.bigint();
  await Promise.all(tokens.map(async (token) => {
    const headers = { authorization: `Bearer ${token}` };
    while (Date.now() < stopAt && slots.next < slots.ids.length) {
      const slotId = slots.ids[slots.next++];
      const hold = await http.request('POST', `/api/v1/slots/${slotId}/hold`, headers);
      if (hold.status !== 201) throw new Error(`hold: ${hold.status} ${JSON.stringify(hold.body)}`);
      const res = await http.request('POST', '/api/v1/bookings', headers, {
        slotId, holdToken: hold.body.holdToken,
        // A patient of their own per booking (numbers apart from the booking phase's), as in benchPatient.
        patient: { firstName: 'Camille', lastName: `Securite${++n}`, birthDate: '1980-05-17', phone: benchPatient(500_000 + n).phone },
        reason: 'fièvre depuis 2 jours',
      });
      if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
      booked++;
    }
  }));
  return booked / (elapsedMs(start) / 1000);
}

/**
 * Before (BASELINE_REF) against after (this build), on the same database and machine in one run:
 * booking throughput of the hold-then-book flow (rounds alternating, each side's API up for its own
 * rounds only, so that no process chains the other's audit events), then one search and one list of
 * the practice's bookings at a time on both APIs, alternating.
 */
export async function benchSecurity(deps: SecurityDeps, root: string, baseline: string, opts: { rounds: number; seconds: number; searches: number }): Promise<SecurityFigures> {
  const { pool } = deps;
  const ids: string[] = (await pool.query(`SELECT id FROM slot WHERE status = 'free' AND starts_at > now() + interval '1 hour' ORDER BY md5(id::text || 'security') LIMIT 200000`)).rows.map((r) => r.id);
  const slots = { next: 0, ids };
  const sides: Side[] = [{ name: 'before', root: baseline }, { name: 'after', root }];
  const perSecond: Record<Side['name'], number[]> = { before: [], after: [] };

  async function onApi<T>(side: Side, work: (http: HttpClient, tokens: string[]) => Promise<T>): Promise<T> {
    const port = await deps.freePort();
    const api = await deps.startApi(side.root, port);
    const http = new HttpClient(new URL(`http://127.0.0.1:${port}`), 64);
    try {
      return await work(http, await signIn(http, deps.secretaries, deps.password));
    } finally {
      await http.close();
      await deps.stopProcess(api);
    }
  }

  // Warm-up of each side (JIT, pools, prepared statements), not counted.
  for (const side of sides) await onApi(side, (http, tokens) => holdAndBook(http, tokens, slots, 2));
  let sealedEvents = 0;
  let sealMs = 0;
  let unsealedAfterRound = 0;
  for (let r = 0; r < opts.rounds; r++) {
    for (const side of r % 2 ? [...sides].reverse() : sides) {
      // What the baseline left unchained is chained now, outside any measured round (and timed).
      const t = process.hrtime.bigint();
      const [{ n }] = (await pool.query(`SELECT audit_seal(10000000) AS n`)).rows;
      sealedEvents += n;
      sealMs += elapsedMs(t);
      await deps.settle();
      perSecond[side.name].push(await onApi(side, (http, tokens) => holdAndBook(http, tokens, slots, opts.seconds)));
      if (side.name === 'after') {
        const [{ left }] = (await pool.query(`SELECT count(*)::int AS left FROM audit_event WHERE seq IS NULL`)).rows;
        unsealedAfterRound = Math.max(unsealedAfterRound, left);
      }
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  // Searches and lists, both APIs up, one request at a time, alternating.
  const ports = await Promise.all(sides.map(() => deps.freePort()));
  const apis = await Promise.all(sides.map((s, i) => deps.startApi(s.root, ports[i])));
  const https = ports.map((p) => new HttpClient(new URL(`http://127.0.0.1:${p}`), 1));
  try {
    const tokens = await Promise.all(https.map((h) => signIn(h, deps.secretaries.slice(0, 1), deps.password).then((t) => t[0])));
    const rnd = prng(23);
    const places = Array.from({ length: opts.searches }, () => near(deps.centres[Math.floor(rnd() * deps.centres.length)], rnd));
    const timed = async (i: number, path: string) => {
      const t = process.hrtime.bigint();
      const res = await https[i].request('GET', path, { authorization: `Bearer ${tokens[i]}` });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      return elapsedMs(t);
    };
    const search = { before: [] as number[], after: [] as number[] };
    const list = { before: [] as number[], after: [] as number[] };
    const week = `from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 7 * 86_400_000).toISOString())}`;
    for (const [k, p] of places.entries()) {
      const warm = k < 100;
      const path = `/api/v1/slots/search?lat=${p.lat}&lon=${p.lon}`;
      for (const i of k % 2 ? [1, 0] : [0, 1]) {
        const s = await timed(i, path);
        const l = await timed(i, `/api/v1/bookings?${week}`);
        if (warm) continue;
        search[sides[i].name].push(s);
        list[sides[i].name].push(l);
      }
    }
    const versus = (x: { before: number[]; after: number[] }) => {
      const before = summarize(x.before);
      const after = summarize(x.after);
      return { before, after, ratioP50: after.p50 / before.p50, ratioP95: after.p95 / before.p95 };
    };
    const beforePerSecond = mean(perSecond.before);
    const afterPerSecond = mean(perSecond.after);
    return {
      baseline: BASELINE_REF,
      booking: { before: perSecond.before, after: perSecond.after, beforePerSecond, afterPerSecond, ratio: afterPerSecond / beforePerSecond },
      search: versus(search),
      list: versus(list),
      sealed: { events: sealedEvents, ms: sealMs, usPerEvent: sealedEvents ? (sealMs * 1000) / sealedEvents : 0 },
      unsealedAfterRound,
    };
  } finally {
    await Promise.all(https.map((h) => h.close()));
    await Promise.all(apis.map((a) => deps.stopProcess(a)));
  }
}
