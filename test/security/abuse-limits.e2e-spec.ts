import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { ApiProcess } from '../support/api-process';
import { API, Harness, patient, TEST_PASSWORD, unique } from '../support/harness';

/**
 * Limits that hold across API replicas (Redis): sign-in attempts per client address, failed
 * sign-ins per account, live holds per account. Two API processes share each story's counters
 * (a queue prefix of the story's own).
 */
describe('abuse limits, shared by every API process', () => {
  describe('sign-in', () => {
    const prefix = `snp-test-limits-${randomUUID().slice(0, 8)}`;
    let h: Harness;
    let other: ApiProcess;
    beforeAll(async () => {
      const env = { LOGIN_RATE_LIMIT: 8, ACCOUNT_LOCKOUT_ATTEMPTS: 4, QUEUE_PREFIX: prefix, TRUSTED_PROXIES: '127.0.0.1' };
      h = await Harness.start(env);
      other = await ApiProcess.start({ LOGIN_RATE_LIMIT: '8', ACCOUNT_LOCKOUT_ATTEMPTS: '4', QUEUE_PREFIX: prefix, TRUSTED_PROXIES: '127.0.0.1' });
    });
    afterAll(async () => {
      await other?.stop();
      await h?.close();
    });

    it('counts a client’s attempts on both processes together: the 9th in a minute is 429, wherever it lands', async () => {
      const client = '198.51.100.7';
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const target = i % 2 ? other.http : h.http;
        statuses.push((await target.post(`${API}/auth/login`).set('X-Forwarded-For', client).send({ email: `nobody-${i}@test.cpts.local`, password: 'wrong-password' })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429, 429]);
      // Another client (behind the trusted proxy) is not held back by the first one's attempts.
      await h.http.post(`${API}/auth/login`).set('X-Forwarded-For', '198.51.100.8').send({ email: 'nobody@test.cpts.local', password: 'wrong-password' }).expect(401);
    });

    it('locks an account after its failures, from any address and on both processes, even with the right password', async () => {
      // An address with an « i », which a look-alike letter could stand for.
      const practiceId = (await h.practice(await h.community())).id;
      const victim = { email: `${unique('victime')}@test.cpts.local`, token: '' };
      await h.as(h.admin).post('/users').send({ email: victim.email, password: TEST_PASSWORD, role: 'secretary', practiceId }).expect(201);
      victim.token = (await h.http.post(`${API}/auth/login`).send({ email: victim.email, password: TEST_PASSWORD }).expect(200)).body.accessToken;
      const bystander = await h.account('secretary', { practiceId: (await h.practice(await h.community())).id });
      for (let i = 0; i < 4; i++) {
        const target = i % 2 ? other.http : h.http;
        await target.post(`${API}/auth/login`).set('X-Forwarded-For', `203.0.113.${i + 1}`).send({ email: victim.email, password: `wrong-${i}` }).expect(401);
      }
      const locked = await other.http.post(`${API}/auth/login`).set('X-Forwarded-For', '203.0.113.50').send({ email: victim.email, password: TEST_PASSWORD }).expect(429);
      expect(locked.body).toMatchObject({ statusCode: 429, error: 'account_locked', message: expect.stringContaining('Compte verrouillé') });
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
      await h.http.post(`${API}/auth/login`).set('X-Forwarded-For', '203.0.113.51').send({ email: victim.email.toUpperCase(), password: TEST_PASSWORD }).expect(429);
      // Nor does a look-alike spelling that the database folds into the same account (a dotted capital I).
      const lookAlike = victim.email.replace('i', '\u0130');
      expect(lookAlike).not.toBe(victim.email);
      await h.http.post(`${API}/auth/login`).set('X-Forwarded-For', '203.0.113.53').send({ email: lookAlike, password: 'wrong-again' }).expect(429);
      // Nobody else is locked out, and a session already open goes on.
      await h.http.post(`${API}/auth/login`).set('X-Forwarded-For', '203.0.113.52').send({ email: bystander.email, password: TEST_PASSWORD }).expect(200);
      expect((await h.as(victim.token).get('/practices')).status).toBe(200);
    });
  });

  describe('holds', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await Harness.start({ MAX_LIVE_HOLDS: 3 });
    });
    afterAll(() => h?.close());

    it('lets one account hold 3 slots at once, records the holder, and says 429 too_many_holds for the 4th, even when asked all at once', async () => {
      const { gp, practitionerId, practiceId } = await h.gpWithAgenda();
      const slots = await h.publish(gp, practitionerId, [60, 80, 100, 120, 140, 160, 180]);
      const secretary = await h.account('secretary', { practiceId });
      const colleague = await h.account('secretary', { practiceId });

      const answers = await Promise.all(slots.slice(0, 6).map((s) => h.as(secretary).post(`/slots/${s.id}/hold`)));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 429, 429, 429]);
      const refused = answers.find((a) => a.status === 429)!;
      expect(refused.body).toMatchObject({ statusCode: 429, error: 'too_many_holds', message: expect.stringContaining('3 créneaux') });

      const ds = h.app.get(DataSource);
      const held = await ds.query(`SELECT id, held_by_user_id FROM slot WHERE status = 'held' AND practitioner_id = $1`, [practitionerId]);
      expect(held).toHaveLength(3);
      expect(held.every((r: any) => r.held_by_user_id === secretary.id)).toBe(true);
      const audited = await ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'hold' AND entity = 'slot' AND actor_user_id = $1`, [secretary.id]);
      expect(audited[0].n).toBe(3);

      // A colleague (another account) is not held back; the secretary holds again once a hold became a booking.
      await h.as(colleague).post(`/slots/${slots[6].id}/hold`).expect(201);
      const first = answers.findIndex((a) => a.status === 201);
      await h.as(secretary).post('/bookings').send({ slotId: slots[first].id, holdToken: answers[first].body.holdToken, patient: patient() }).expect(201);
      const free = slots.slice(0, 6).find((_, i) => answers[i].status === 429)!;
      await h.as(secretary).post(`/slots/${free.id}/hold`).expect(201);
    });

    it('counts a lapsed hold as gone', async () => {
      const { gp, practitionerId, practiceId } = await h.gpWithAgenda();
      const slots = await h.publish(gp, practitionerId, [60, 80, 100, 120]);
      const secretary = await h.account('secretary', { practiceId });
      for (const s of slots.slice(0, 3)) await h.as(secretary).post(`/slots/${s.id}/hold`).expect(201);
      await h.as(secretary).post(`/slots/${slots[3].id}/hold`).expect(429);
      await h.app.get(DataSource).query(`UPDATE slot SET hold_expires_at = now() - interval '1 second' WHERE id = $1`, [slots[0].id]);
      await h.as(secretary).post(`/slots/${slots[3].id}/hold`).expect(201);
    });
  });
});
