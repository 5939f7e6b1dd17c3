import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { generate } from 'otplib';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { Account, API, Harness, TEST_PASSWORD } from '../support/harness';
import { testConfig } from '../support/test-config';

/** The code an authenticator app shows `stepsAhead` 30-second steps from now (0: the current one). */
const totp = (secret: string, stepsAhead = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });

/**
 * A second factor for password accounts (TOTP, RFC 6238): enrolment with a QR code drawn by the
 * service, sign-in with a code, recovery codes once each, a code accepted once, an admin's reset;
 * MFA_REQUIRED makes it mandatory at the next sign-in. API keys are not concerned.
 */
describe('second factor (TOTP)', () => {
  let h: Harness;
  let practiceId: string;
  beforeAll(async () => {
    h = await Harness.start();
    practiceId = (await h.practice(await h.community())).id;
  });
  afterAll(() => h?.close());

  const login = (email: string, password = TEST_PASSWORD) => h.http.post(`${API}/auth/login`).send({ email, password });
  const verify = (body: Record<string, unknown>) => h.http.post(`${API}/auth/mfa/verify`).send(body);

  /** A secretary who enrolled from the page while signed in: their secret and recovery codes. */
  async function enrolled(): Promise<{ who: Account; secret: string; recoveryCodes: string[] }> {
    const who = await h.account('secretary', { practiceId });
    const enrolment = await h.as(who).post('/auth/mfa/enrol').send({}).expect(200);
    expect(enrolment.body).toEqual({ secret: expect.stringMatching(/^[A-Z2-7]{32}$/), otpauthUrl: expect.stringMatching(/^otpauth:\/\/totp\//), qrCode: expect.stringMatching(/^data:image\/png;base64,/) });
    expect(enrolment.body.otpauthUrl).toContain(`secret=${enrolment.body.secret}`);
    expect(decodeURIComponent(enrolment.body.otpauthUrl)).toContain(who.email);
    const secret: string = enrolment.body.secret;
    await h.as(who).post('/auth/mfa/verify').send({ code: '000000' === (await totp(secret)) ? '111111' : '000000' }).expect(401);
    const confirmed = await h.as(who).post('/auth/mfa/verify').send({ code: await totp(secret) }).expect(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.body.recoveryCodes).size).toBe(10);
    expect(confirmed.body.accessToken).toEqual(expect.any(String));
    return { who, secret, recoveryCodes: confirmed.body.recoveryCodes };
  }

  it('enrols, then asks for a code at every sign-in; a wrong code is 401, the right one opens the session', async () => {
    const { who, secret } = await enrolled();
    const first = await login(who.email).expect(200);
    expect(first.body).toEqual({ mfa: 'required', mfaToken: expect.any(String) });
    const wrong = await verify({ mfaToken: first.body.mfaToken, code: '123456' === (await totp(secret, 1)) ? '654321' : '123456' }).expect(401);
    expect(wrong.body.message).toContain('Code incorrect');
    // The enrolment used the current step: the next one (accepted within the drift allowed) signs in.
    const ok = await verify({ mfaToken: first.body.mfaToken, code: await totp(secret, 1) }).expect(200);
    expect(ok.body).toMatchObject({ accessToken: expect.any(String), user: { id: who.id, role: 'secretary' } });
    expect(ok.body.recoveryCodes).toBeUndefined();
    await h.as(ok.body.accessToken).get('/practices').expect(200);
    // The step is spent: the same code does not open a second session, and the mfaToken is used up.
    const again = await login(who.email).expect(200);
    await verify({ mfaToken: again.body.mfaToken, code: await totp(secret, 1) }).expect(401);
    await verify({ mfaToken: first.body.mfaToken, code: await totp(secret, 1) }).expect(401);
    // No way around the second factor with the password alone.
    expect((await login(who.email)).body.accessToken).toBeUndefined();
  });

  it('takes each recovery code once, written any way the user types it', async () => {
    const { who, recoveryCodes } = await enrolled();
    const first = (await login(who.email).expect(200)).body.mfaToken;
    await verify({ mfaToken: first, code: ` ${recoveryCodes[3].toUpperCase().replace('-', ' ')} ` }).expect(200);
    const second = (await login(who.email).expect(200)).body.mfaToken;
    await verify({ mfaToken: second, code: recoveryCodes[3] }).expect(401);
    await verify({ mfaToken: second, code: recoveryCodes[4] }).expect(200);
  });

  it('spends an mfaToken after 5 wrong codes, and after 5 minutes', async () => {
    const { who, secret } = await enrolled();
    const token = (await login(who.email).expect(200)).body.mfaToken;
    const wrong = (await totp(secret, 1)) === '999999' ? '888888' : '999999';
    for (let i = 0; i < 5; i++) await verify({ mfaToken: token, code: wrong }).expect(401);
    const spent = await verify({ mfaToken: token, code: await totp(secret, 1) }).expect(401);
    expect(spent.body.message).toContain('reconnectez-vous');

    const late = (await login(who.email).expect(200)).body.mfaToken;
    await h.app.get(DataSource).query(`UPDATE auth_challenge SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND used_at IS NULL`, [who.id]);
    await verify({ mfaToken: late, code: await totp(secret, 1) }).expect(401);
  });

  it('is reset by an admin (lost phone): sessions end, the next sign-in needs no code until a new enrolment', async () => {
    const { who } = await enrolled();
    await h.as(who).delete(`/users/${who.id}/mfa`).expect(403);
    await h.as(h.admin).delete(`/users/${who.id}/mfa`).expect(204);
    await h.as(who).get('/practices').expect(401);
    const res = await login(who.email).expect(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
    const listed = (await h.as(h.admin).get(`/users?practiceId=${practiceId}`).expect(200)).body.users.find((u: any) => u.id === who.id);
    expect(listed.mfa).toBe(false);
  });

  describe('with MFA_REQUIRED (the production default)', () => {
    let strict: NestFastifyApplication;
    beforeAll(async () => {
      strict = await createApp(testConfig({ MFA_REQUIRED: true, WORKERS_ENABLED: false }));
      await strict.init();
      await strict.getHttpAdapter().getInstance().ready();
    });
    afterAll(() => strict?.close());

    it('makes an account without a second factor enrol before it gets a session', async () => {
      const who = await h.account('secretary', { practiceId });
      const res = await request(strict.getHttpServer()).post(`${API}/auth/login`).send({ email: who.email, password: TEST_PASSWORD }).expect(200);
      expect(res.body).toEqual({ mfa: 'enrol', mfaToken: expect.any(String) });
      // The mfaToken is no session.
      await request(strict.getHttpServer()).get(`${API}/practices`).set('Authorization', `Bearer ${res.body.mfaToken}`).expect(401);
      const enrolment = await request(strict.getHttpServer()).post(`${API}/auth/mfa/enrol`).send({ mfaToken: res.body.mfaToken }).expect(200);
      const done = await request(strict.getHttpServer()).post(`${API}/auth/mfa/verify`).send({ mfaToken: res.body.mfaToken, code: await totp(enrolment.body.secret) }).expect(200);
      expect(done.body.recoveryCodes).toHaveLength(10);
      await request(strict.getHttpServer()).get(`${API}/practices`).set('Authorization', `Bearer ${done.body.accessToken}`).expect(200);
      // Enrolled once: a second enrolment is refused (an admin resets it).
      await request(strict.getHttpServer()).post(`${API}/auth/mfa/enrol`).set('Authorization', `Bearer ${done.body.accessToken}`).send({}).expect(409);
    });

    it('leaves API keys as they are (machine clients have no second factor)', async () => {
      const key = (await h.as(h.admin).post('/api-keys').send({ name: 'Logiciel du cabinet', role: 'secretary', practiceId }).expect(201)).body.key;
      await request(strict.getHttpServer()).get(`${API}/bookings`).set('X-Api-Key', key).expect(200);
    });

    it('refuses the queue board’s password-only sign-in', async () => {
      const basic = `Basic ${Buffer.from(`admin@test.cpts.local:admin-test-password`).toString('base64')}`;
      const res = await request(strict.getHttpServer()).get(`${API}/admin/queues/api/queues`).set('Authorization', basic).expect(401);
      expect(res.body.message).toContain('second facteur');
    });
  });
});
