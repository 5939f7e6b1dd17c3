import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { matchingScene } from '../matching/scene';
import { Account, API, eventually, Harness, TEST_PASSWORD } from '../support/harness';
import { TEST_ADMIN, testConfig } from '../support/test-config';

const BOARD = `${API}/admin/queues`;
const basic = (email: string, password: string) => `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;

/** One sample of a Prometheus text exposition, e.g. value(text, 'snp_requests', { status: 'matched' }). */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
  const line = text.split('\n').find((l) => l.startsWith(wanted ? `${name}{${wanted}} ` : `${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Whoever runs the service watches the engine (metrics) and handles its jobs (queue board); nobody else may. */
describe('operations', () => {
  let h: Harness;
  let coordinator: Account;
  beforeAll(async () => {
    h = await Harness.start();
    coordinator = await h.account('coordinator');
  });
  afterAll(() => h.close());

  describe('matching metrics (GET /metrics): queue depth, outcomes, how long patients wait for a booking', () => {
    const scrape = async () => (await h.as(h.admin).get('/metrics').expect(200)).text;

    it('counts a matched and a waiting request, the waiting one\'s age, the match latency and the queue', async () => {
      const before = await scrape();
      // The first scrape of a fresh process already says whether Redis answered it.
      expect(value(before, 'snp_matching_queue_up')).toBe(1);
      const scene = await matchingScene(h);
      const { gp, id: practitionerId } = scene.practitioners[0];
      await h.publish(gp, practitionerId, [60]);
      const matched = await scene.file();
      await eventually(() => scene.get(matched.id), (r) => r.status === 'matched');
      await scene.file(); // the only slot is gone: this one waits

      const after = await eventually(scrape, (t) => value(t, 'snp_requests', { status: 'pending' })! >= value(before, 'snp_requests', { status: 'pending' })! + 1);
      expect(value(after, 'snp_requests', { status: 'matched' })).toBe(value(before, 'snp_requests', { status: 'matched' })! + 1);
      expect(value(after, 'snp_requests_pending_oldest_age_seconds')).toBeGreaterThan(0);
      const p50 = value(after, 'snp_request_match_latency_seconds', { quantile: '0.5' })!;
      const p95 = value(after, 'snp_request_match_latency_seconds', { quantile: '0.95' })!;
      expect(p50).toBeGreaterThan(0);
      expect(p95).toBeGreaterThanOrEqual(p50);
      expect(value(after, 'snp_matching_queue_up')).toBe(1);
      expect(value(after, 'snp_notifications_queue_up')).toBe(1);
      // The matched patient's SMS and the GP's e-mail: two more messages, whatever their state.
      const messages = (text: string) => ['queued', 'sent', 'outbox', 'failed', 'cancelled'].reduce((sum, status) => sum + value(text, 'snp_notifications', { status })!, 0);
      expect(messages(after) - messages(before)).toBeGreaterThanOrEqual(2);
      // Each waiting request has its escalation job delayed until its escalation time.
      expect(value(after, 'snp_matching_queue_jobs', { state: 'delayed' })).toBeGreaterThanOrEqual(1);
      expect(after).toMatch(/^# TYPE snp_process_cpu_seconds_total counter$/m);
      expect(after).not.toMatch(/Léa|Martin|06 12/); // counts only, never patients
    });

    it('answers JSON to Accept: application/json', async () => {
      const res = await h.as(h.admin).get('/metrics').set('Accept', 'application/json').expect(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      const names = (res.body as Array<{ name: string }>).map((m) => m.name);
      expect(names).toEqual(expect.arrayContaining(['snp_requests', 'snp_matching_queue_jobs', 'snp_request_match_latency_seconds', 'snp_notifications', 'snp_notifications_queue_jobs']));
    });

    it('is for admins only', async () => {
      const res = await h.as(coordinator).get('/metrics').expect(403);
      expect(res.body.message).toContain('admin');
      await h.http.get(`${API}/metrics`).expect(401);
    });

    it('still answers when Redis is down, saying the queue could not be read', async () => {
      const app = await createApp(testConfig({ REDIS_URL: 'redis://127.0.0.1:1', WORKERS_ENABLED: false }));
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      try {
        const res = await request(app.getHttpServer()).get(`${API}/metrics`).set('Authorization', `Bearer ${h.admin.token}`).expect(200);
        expect(value(res.text, 'snp_matching_queue_up')).toBe(0);
        expect(value(res.text, 'snp_notifications_queue_up')).toBe(0);
        expect(value(res.text, 'snp_requests', { status: 'matched' })).toBeGreaterThanOrEqual(1);
      } finally {
        await app.close();
      }
    });
  });

  describe('queue board (bull-board): the admin opens it in a browser to see, retry or clean jobs', () => {
    it('asks a browser for a login (401 + WWW-Authenticate) on the page, its assets and its JSON API', async () => {
      for (const path of [BOARD, `${BOARD}/api/queues`, `${BOARD}/static/favicon-32x32.png`]) {
        const res = await h.http.get(path).expect(401);
        expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
        expect(res.body).toMatchObject({ statusCode: 401, error: 'unauthorized', message: expect.stringContaining('admin') });
      }
    });

    it('lets the admin in with e-mail and password, and shows the matching queue', async () => {
      const page = await h.http.get(BOARD).set('Authorization', basic(TEST_ADMIN.email, TEST_ADMIN.password)).expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const api = await h.http.get(`${BOARD}/api/queues`).set('Authorization', basic(TEST_ADMIN.email, TEST_ADMIN.password)).expect(200);
      expect(api.body.queues.map((q: { name: string }) => q.name)).toContain('matching');
    });

    it('lets the admin in with a bearer token too (scripts)', async () => {
      await h.http.get(`${BOARD}/api/queues`).set('Authorization', `Bearer ${h.admin.token}`).expect(200);
    });

    it('refuses a coordinator (403), by token or by password', async () => {
      const byToken = await h.http.get(`${BOARD}/api/queues`).set('Authorization', `Bearer ${coordinator.token}`).expect(403);
      expect(byToken.body.message).toContain('admin');
      await h.http.get(`${BOARD}/api/queues`).set('Authorization', basic(coordinator.email, TEST_PASSWORD)).expect(403);
    });

    it('cannot be reached by disguising the path', async () => {
      for (const path of [`${API}/admin/%71ueues/api/queues`, `${API}//admin/queues/api/queues`, `${API}/admin/queues/../queues/api/queues`]) {
        const res = await h.http.get(path);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.text).not.toContain('"queues"');
      }
    });

    it('locks an admin account after 10 wrong passwords, as the sign-in does (429 account_locked, even with the right one)', async () => {
      const target = await h.account('admin');
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        statuses.push((await h.http.get(`${BOARD}/api/queues`).set('Authorization', basic(target.email, `wrong-${i}`))).status);
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses[10]).toBe(429);
      const right = await h.http.get(`${BOARD}/api/queues`).set('Authorization', basic(target.email, TEST_PASSWORD)).expect(429);
      expect(right.body.error).toBe('account_locked');
      await h.http.post(`${API}/auth/login`).send({ email: target.email, password: TEST_PASSWORD }).expect(429);
    });
  });
});
