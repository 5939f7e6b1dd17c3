import { DataSource } from 'typeorm';
import { FaultProxy } from '../support/fault-proxy';
import { eventually, Harness, patient, TEST_PASSWORD } from '../support/harness';
import { testConfig } from '../support/test-config';
import { matchingScene } from '../matching/scene';
import { LoadClient, Outcome, sleep } from './load';
import { ServiceProcess } from './processes';

/**
 * Redis hangs for 10 s, then is unreachable for 10 s, while a secretary files requests and a
 * worker matches them. Filing answers 202 within 1 s all along (the request is in Postgres; the
 * enqueue waits for nothing); once Redis is back every request is matched or pending as it should
 * be (the reconciler re-adds what the outage lost), none lost, none booked twice. /metrics shows
 * the queue down, then up. Sessions are decided by Postgres: a token signed out during the outage
 * is refused at once, the others still work; the sign-in limits (Redis) let sign-ins through and
 * the log says so.
 */
describe('Redis hung, then unreachable, during filing and matching', () => {
  let h: Harness;
  let proxy: FaultProxy;
  let api: ServiceProcess;
  let worker: ServiceProcess;
  let client: LoadClient;

  beforeAll(async () => {
    h = await Harness.start({ WORKERS_ENABLED: false });
    proxy = await FaultProxy.start({ port: Number(new URL(testConfig().REDIS_URL).port || 6379) });
    const REDIS_URL = proxy.url(testConfig().REDIS_URL);
    api = await ServiceProcess.api({ REDIS_URL });
    worker = await ServiceProcess.worker({ REDIS_URL, MATCHING_CONCURRENCY: '4' });
    client = new LoadClient(api.url, 5000);
  }, 120_000);
  afterAll(async () => {
    await client?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await proxy?.close();
    await h?.close();
  });

  it('files within 1 s, matches everything once Redis is back, and keeps sessions decided by Postgres', async () => {
    const scene = await matchingScene(h, 2);
    const slots = [
      ...(await h.publish(scene.practitioners[0].gp, scene.practitioners[0].id, [60, 75, 90, 105, 120, 135, 150, 165, 180, 195, 210, 225])),
      ...(await h.publish(scene.practitioners[1].gp, scene.practitioners[1].id, [60, 75, 90, 105, 120, 135, 150, 165, 180, 195, 210, 225])),
    ];
    const token = scene.secretary.token;
    const filings: Outcome[] = [];
    const file = async (over: Record<string, unknown> = {}) => {
      const o = await client.call('POST', '/api/v1/requests', token, { patient: patient({ hasReferringGp: true }), location: scene.place, maxDistanceKm: 3, ...over });
      filings.push(o);
      return o;
    };
    const queueUp = async () => {
      const res = await client.call('GET', '/api/v1/metrics', h.admin.token);
      const m = /^snp_matching_queue_up (\d)$/m.exec(String(res.body));
      return m ? Number(m[1]) : null;
    };
    expect(await queueUp()).toBe(1);
    // A regulator signed in before the outage; another session of theirs is signed out during it.
    const regulator = await h.account('regulator');
    /** During the outage: a sign-in goes through, its sign-out is refused at once, the older session works; the queue reads down. */
    const sessionsDecidedByPostgres = async () => {
      const session = await client.call('POST', '/api/v1/auth/login', undefined, { email: regulator.email, password: TEST_PASSWORD });
      expect(session.status).toBe(200);
      expect((await client.call('POST', '/api/v1/auth/logout', session.body.accessToken)).status).toBe(204);
      expect((await client.call('GET', '/api/v1/bookings', session.body.accessToken)).status).toBe(401);
      expect((await client.call('GET', '/api/v1/bookings', regulator.token)).status).toBe(200);
      expect(await queueUp()).toBe(0);
    };

    for (let i = 0; i < 4; i++) await file();

    // ---- Redis hangs: nothing comes back from it for 10 s.
    proxy.hang();
    const hungAt = Date.now();
    for (let i = 0; i < 8; i++) await file();
    // Those that cannot fit anywhere (nobody visits at home) stay pending.
    for (let i = 0; i < 2; i++) await file({ modalities: ['home_visit'] });
    await sessionsDecidedByPostgres();
    await sleep(Math.max(0, hungAt + 10_000 - Date.now()));
    await proxy.up();

    // ---- Redis unreachable: connections cut, new ones refused, for 10 s.
    await sleep(1000);
    await proxy.down();
    const downAt = Date.now();
    for (let i = 0; i < 8; i++) await file();
    await sessionsDecidedByPostgres();
    await sleep(Math.max(0, downAt + 10_000 - Date.now()));
    await proxy.up();

    // Every filing answered 202 within 1 s, outage or not.
    expect(filings.map((f) => f.status)).toEqual(filings.map(() => 202));
    expect(filings.filter((f) => f.doneAt - f.sentAt > 1000).map((f) => f.doneAt - f.sentAt)).toEqual([]);
    // The limits let the sign-ins through, and said so.
    expect(api.logs(/limit not applied/).length).toBeGreaterThan(0);

    // ---- Back: the queue is up, and every request that fits is matched (the reconciler runs each minute).
    await eventually(queueUp, (up) => up === 1, 15_000);
    const ids = filings.map((f) => f.body.id as string);
    const fitting = ids.slice(0, 12).concat(ids.slice(14));
    const settled = await eventually(() => scene.getAll(ids), (rs) => fitting.every((id) => rs.find((r: any) => r.id === id)?.status === 'matched'), 100_000);
    expect(settled.filter((r: any) => r.status === 'pending').map((r: any) => r.id).sort()).toEqual(ids.slice(12, 14).sort());

    const [check] = await h.app.get(DataSource).query(
      `SELECT count(*)::int AS bookings, count(DISTINCT b.slot_id)::int AS slots,
              (SELECT count(DISTINCT r.booking_id)::int FROM snp_request r JOIN booking rb ON rb.id = r.booking_id AND rb.status <> 'cancelled'
                WHERE r.id = ANY($2) AND r.status = 'matched') AS "matchedWithBooking"
         FROM booking b WHERE b.slot_id = ANY($1) AND b.status <> 'cancelled'`,
      [slots.map((s) => s.id), ids],
    );
    expect(check).toEqual({ bookings: 20, slots: 20, matchedWithBooking: 20 });
  }, 180_000);
});
