import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { randomInt } from 'crypto';
import { DataSource } from 'typeorm';
import { MAINTENANCE_QUEUE } from '../../src/maintenance/maintenance.queue';
import { matchingScene } from '../matching/scene';
import { eventually, Harness, patient, TEST_PASSWORD } from '../support/harness';
import { LoadClient } from './load';
import { ServiceProcess } from './processes';

/**
 * Two API processes (WORKERS_ENABLED=false) and two worker processes on one Postgres and one
 * Redis, as the production compose file runs them: one slot raced through both APIs is booked
 * once; requests filed through either are matched by the workers, none twice; cron work is done
 * once per period; sign-in limits, lockouts and signed-out sessions hold across both APIs; and
 * both APIs report the same /metrics.
 */
describe('two APIs and two workers, one service', () => {
  let h: Harness;
  let apis: ServiceProcess[] = [];
  let workers: ServiceProcess[] = [];
  let clients: LoadClient[] = [];
  const started = Date.now();

  beforeAll(async () => {
    h = await Harness.start({ WORKERS_ENABLED: false });
    const env = { LOGIN_RATE_LIMIT: '5', ACCOUNT_LOCKOUT_ATTEMPTS: '4', TRUSTED_PROXIES: '127.0.0.1' };
    apis = await Promise.all([ServiceProcess.api(env), ServiceProcess.api(env)]);
    workers = await Promise.all([ServiceProcess.worker({ MATCHING_CONCURRENCY: '4' }), ServiceProcess.worker({ MATCHING_CONCURRENCY: '4' })]);
    clients = apis.map((a) => new LoadClient(a.url, 10_000));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all([...apis, ...workers].map((p) => p.stop()));
    await h?.close();
  });

  it('books a slot raced through both APIs once, and matches requests filed through either once', async () => {
    const scene = await matchingScene(h, 2);
    const raced = await h.publish(scene.practitioners[0].gp, scene.practitioners[0].id, [300, 320, 340, 360, 380]);
    for (const slot of raced) {
      const answers = await Promise.all(
        Array.from({ length: 16 }, (_, i) => clients[i % 2].call('POST', '/api/v1/bookings', scene.secretary.token, { slotId: slot.id, patient: patient({ lastName: `Course${i}` }) })),
      );
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 409)).toHaveLength(15);
    }

    const slots = await h.publish(scene.practitioners[1].gp, scene.practitioners[1].id, [60, 75, 90, 105, 120, 135, 150, 165, 180, 195]);
    const filed = await Promise.all(
      Array.from({ length: 16 }, (_, i) => clients[i % 2].call('POST', '/api/v1/requests', scene.secretary.token, { patient: patient({ hasReferringGp: true }), location: scene.place, maxDistanceKm: 3 })),
    );
    expect(filed.map((f) => f.status)).toEqual(filed.map(() => 202));
    const ids = filed.map((f) => f.body.id as string);
    const settled = await eventually(() => scene.getAll(ids), (rs) => rs.filter((r: any) => r.status === 'matched').length === 10 && rs.every((r: any) => r.attempts >= 1), 60_000);
    expect(settled.filter((r: any) => r.status === 'pending')).toHaveLength(6);
    const [check] = await h.app.get(DataSource).query(
      `SELECT count(*)::int AS bookings, count(DISTINCT slot_id)::int AS slots FROM booking WHERE slot_id = ANY($1) AND status <> 'cancelled'`,
      [[...raced, ...slots].map((s) => s.id)],
    );
    expect(check).toEqual({ bookings: 15, slots: 15 });
    // Each match is logged once, by the worker that made it.
    const matchedBy = workers.map((w) => w.logs(/^request matched$/).filter((l) => ids.includes(l.request)).length);
    expect(matchedBy.reduce((a, b) => a + b)).toBe(10);
  }, 120_000);

  it('does cron work once per period, whichever process schedules it', async () => {
    // Each of the four processes enqueued the hourly template expansion as it started: one job ran.
    const queue = h.app.get<Queue>(getQueueToken(MAINTENANCE_QUEUE));
    const jobs = (await queue.getJobs(['completed', 'active', 'waiting', 'failed'])).filter((j) => j.name === 'expand-templates' && j.timestamp >= started - 3_600_000);
    const periods = new Set(jobs.map((j) => j.id));
    expect(jobs.length).toBe(periods.size);
    const hour = new Date(started).toISOString().slice(0, 13);
    expect(jobs.filter((j) => j.id!.startsWith(`expand-templates.${hour}`))).toHaveLength(1);
  });

  it('shares sign-in limits, lockouts and signed-out sessions between the APIs', async () => {
    const regulator = await h.account('regulator');
    // Sign-in attempts from one address, alternating APIs: the sixth in the minute is refused by either.
    const address = `203.0.113.${randomInt(1, 254)}`;
    const attempt = (i: number, email: string, password: string) =>
      clients[i % 2].call('POST', '/api/v1/auth/login', undefined, { email, password }, { 'x-forwarded-for': address });
    // (Unknown accounts: no lockout in the way, only the address's limit.)
    for (let i = 0; i < 5; i++) expect((await attempt(i, `personne-${i}@test.cpts.local`, 'pas le bon mot de passe')).status).toBe(401);
    for (let i = 5; i < 7; i++) {
      const refused = await attempt(i, regulator.email, TEST_PASSWORD);
      expect([refused.status, refused.body.error]).toEqual([429, 'rate_limited']);
    }

    // Failed passwords for one account from many addresses, alternating APIs: locked on both.
    const other = await h.account('regulator');
    const elsewhere = (i: number) => `198.51.100.${(randomInt(1, 50) + i * 50) % 254}`;
    for (let i = 0; i < 4; i++) {
      const res = await clients[i % 2].call('POST', '/api/v1/auth/login', undefined, { email: other.email, password: 'toujours pas' }, { 'x-forwarded-for': elsewhere(i) });
      expect(res.status).toBe(401);
    }
    for (const c of clients) {
      const locked = await c.call('POST', '/api/v1/auth/login', undefined, { email: other.email, password: TEST_PASSWORD }, { 'x-forwarded-for': `192.0.2.${randomInt(1, 254)}` });
      expect([locked.status, locked.body.error]).toEqual([429, 'account_locked']);
    }

    // A session signed out through one API is refused by the other at once.
    const session = await clients[0].call('POST', '/api/v1/auth/login', undefined, { email: regulator.email, password: TEST_PASSWORD }, { 'x-forwarded-for': `192.0.2.${randomInt(1, 254)}` });
    expect(session.status).toBe(200);
    const token = session.body.accessToken as string;
    expect((await clients[1].call('GET', '/api/v1/bookings', token)).status).toBe(200);
    expect((await clients[0].call('POST', '/api/v1/auth/logout', token)).status).toBe(204);
    expect((await clients[1].call('GET', '/api/v1/bookings', token)).status).toBe(401);
  });

  it('reports the same /metrics from both APIs', async () => {
    const scrape = async (c: LoadClient) => {
      const res = await c.call('GET', '/api/v1/metrics', h.admin.token);
      expect(res.status).toBe(200);
      // The service's own figures (the process's own, snp_process_* and snp_nodejs_*, differ by nature);
      // the oldest pending request's age moves with the clock between the two scrapes.
      return String(res.body).split('\n').filter((l) => /^snp_/.test(l) && !/^snp_(process|nodejs)_|^snp_requests_pending_oldest_age_seconds/.test(l));
    };
    await eventually(async () => {
      const [a, b] = await Promise.all(clients.map(scrape));
      return { a, b };
    }, ({ a, b }) => a.length > 10 && JSON.stringify(a) === JSON.stringify(b), 10_000);
  });
});
