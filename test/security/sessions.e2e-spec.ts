import { createSecretKey } from 'crypto';
import { sign } from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { ApiProcess } from '../support/api-process';
import { Account, API, Harness, randomRpps, TEST_PASSWORD, unique } from '../support/harness';

/**
 * Sessions end when they should, in every API process at once: sign-out, a password change, a role
 * change, a deactivation, a revoked API key. Tokens are signed with a key nobody can guess, and a
 * token without expiry is refused. A second API process (its own cache, its own database listener)
 * is asked right after each change.
 */
describe('sessions: tokens and keys refused at once, everywhere', () => {
  let h: Harness;
  let other: ApiProcess;
  let communityId: string;

  beforeAll(async () => {
    h = await Harness.start();
    other = await ApiProcess.start();
    communityId = await h.community();
  });
  afterAll(async () => {
    await other?.stop();
    await h?.close();
  });

  /** GET /practices with this bearer token on the second process: 200 while the session lives, 401 after. */
  const onOther = (token: string) => other.http.get(`${API}/practices`).set('Authorization', `Bearer ${token}`).then((r) => r.status);
  const signIn = (email: string, password = TEST_PASSWORD) => h.http.post(`${API}/auth/login`).send({ email, password });

  it('refuses a token signed with the old built-in key, and one without expiry even when signed with the right key', async () => {
    const admin = await h.as(h.admin).get('/users?role=admin').expect(200);
    const adminId = admin.body.users[0].id;
    const forged = sign({ sub: adminId, ver: 0, jti: '6f1c1f8e-2a4b-4d61-9f3e-0a1b2c3d4e5f', typ: 'access' }, 'change-me-in-production-please', { algorithm: 'HS256', expiresIn: 3600 });
    expect((await h.http.get(`${API}/users`).set('Authorization', `Bearer ${forged}`)).status).toBe(401);

    // The key the service generated for itself (kept in the database, JWT_SECRET being unset).
    const [{ secret }] = await h.app.get(DataSource).query(`SELECT secret FROM signing_key WHERE id = 1`);
    expect(secret.length).toBeGreaterThanOrEqual(64);
    const key = createSecretKey(secret);
    const [{ token_version }] = await h.app.get(DataSource).query(`SELECT token_version FROM app_user WHERE id = $1`, [adminId]);
    const claims = { sub: adminId, ver: token_version, jti: '0d3b5f7a-1c2e-4f60-8a9b-c0d1e2f3a4b5', typ: 'access' };
    const forever = sign(claims, key, { algorithm: 'HS256' });
    const res = await h.http.get(`${API}/users`).set('Authorization', `Bearer ${forever}`);
    expect(res.status).toBe(401);
    expect(await onOther(forever)).toBe(401);
    // The same claims with an expiry pass: what was refused is the missing expiry, nothing else.
    const bounded = sign(claims, key, { algorithm: 'HS256', expiresIn: 60 });
    expect((await h.http.get(`${API}/users`).set('Authorization', `Bearer ${bounded}`)).status).toBe(200);
  });

  it('signs out one token only: refused at once here and on the other process, the account’s other session goes on', async () => {
    const secretary = await h.account('secretary', { practiceId: (await h.practice(communityId)).id });
    const second = (await signIn(secretary.email).expect(200)).body.accessToken;
    expect(await onOther(secretary.token)).toBe(200);
    await h.as(secretary).post('/auth/logout').expect(204);
    expect((await h.as(secretary).get('/practices')).status).toBe(401);
    expect(await onOther(secretary.token)).toBe(401);
    expect(await onOther(second)).toBe(200);
    expect((await h.as(second).get('/practices')).status).toBe(200);
  });

  it('ends every session of an account whose password changed; the old password no longer signs in', async () => {
    const gp = (await h.gpWithAgenda()).gp;
    const second = (await signIn(gp.email).expect(200)).body.accessToken;
    expect(await onOther(second)).toBe(200);
    const wrong = await h.as(gp).post('/auth/password').send({ currentPassword: 'pas-le-bon-mot', newPassword: 'un-nouveau-mot-de-passe' });
    expect(wrong.status).toBe(401);
    await h.as(gp).post('/auth/password').send({ currentPassword: TEST_PASSWORD, newPassword: 'un-nouveau-mot-de-passe' }).expect(204);
    for (const token of [gp.token, second]) {
      expect(await onOther(token)).toBe(401);
      expect((await h.as(token).get('/practices')).status).toBe(401);
    }
    expect((await signIn(gp.email)).status).toBe(401);
    const fresh = (await signIn(gp.email, 'un-nouveau-mot-de-passe').expect(200)).body.accessToken;
    expect(await onOther(fresh)).toBe(200);
  });

  it('takes a demoted coordinator’s rights at once, and a deactivated account’s every session and sign-in', async () => {
    const coordinator = await h.account('coordinator', { communityId });
    const practiceId = (await h.practice(communityId)).id;
    expect((await other.http.get(`${API}/users`).set('Authorization', `Bearer ${coordinator.token}`)).status).toBe(200);

    const demoted = await h.as(h.admin).patch(`/users/${coordinator.id}`).send({ role: 'secretary', practiceId }).expect(200);
    expect(demoted.body).toMatchObject({ id: coordinator.id, role: 'secretary', practiceId, communityId, active: true });
    expect((await other.http.get(`${API}/users`).set('Authorization', `Bearer ${coordinator.token}`)).status).toBe(401);
    const asSecretary = (await signIn(coordinator.email).expect(200)).body.accessToken;
    expect((await h.as(asSecretary).get('/users')).status).toBe(403);

    await h.as(h.admin).patch(`/users/${coordinator.id}`).send({ active: false }).expect(200);
    expect(await onOther(asSecretary)).toBe(401);
    const refused = await signIn(coordinator.email);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toContain('désactivé');
    await h.as(h.admin).patch(`/users/${coordinator.id}`).send({ active: true }).expect(200);
    expect((await signIn(coordinator.email)).status).toBe(200);
  });

  it('lists API keys without the key, and refuses a revoked key at once on every process', async () => {
    const created = await h.as(h.admin).post('/api-keys').send({ name: 'Logiciel de régulation', role: 'regulator' }).expect(201);
    const key: string = created.body.key;
    expect((await other.http.get(`${API}/bookings`).set('X-Api-Key', key)).status).toBe(200);
    const list = await h.as(h.admin).get('/api-keys').expect(200);
    const listed = list.body.apiKeys.find((k: any) => k.id === created.body.id);
    expect(listed).toEqual({ id: created.body.id, name: 'Logiciel de régulation', role: 'regulator', createdAt: expect.any(String) });
    expect(JSON.stringify(list.body)).not.toContain(key);

    await h.as(h.admin).delete(`/api-keys/${created.body.id}`).expect(204);
    expect((await other.http.get(`${API}/bookings`).set('X-Api-Key', key)).status).toBe(401);
    expect((await h.http.get(`${API}/bookings`).set('X-Api-Key', key)).status).toBe(401);
    await h.as(h.admin).delete(`/api-keys/${created.body.id}`).expect(204);
    const again = await h.as(h.admin).get('/api-keys').expect(200);
    expect(again.body.apiKeys.find((k: any) => k.id === created.body.id).revokedAt).toEqual(expect.any(String));
  });

  describe('what a coordinator may do to accounts', () => {
    let coordinator: Account;
    beforeAll(async () => {
      coordinator = await h.account('coordinator', { communityId });
    });

    it('never gives an account an RPPS (who Pro Santé Connect signs in is an admin’s decision), nor one a practitioner holds', async () => {
      const rpps = randomRpps();
      const refused = await h.as(coordinator).post('/users').send({ email: `${unique('rpps')}@test.cpts.local`, password: TEST_PASSWORD, role: 'secretary', practiceId: (await h.practice(communityId)).id, rpps }).expect(403);
      expect(refused.body.message).toContain('RPPS');
      await h.as(h.admin).post('/users').send({ email: `${unique('rpps')}@test.cpts.local`, password: TEST_PASSWORD, role: 'secretary', practiceId: (await h.practice(communityId)).id, rpps }).expect(403);
      const gp = await h.practitioner((await h.practice(communityId)).id);
      const [{ rpps: taken }] = (await h.as(h.admin).get(`/practitioners?id=${gp.id}`).expect(200)).body.practitioners;
      await h.as(h.admin).post('/users').send({ email: `${unique('rpps')}@test.cpts.local`, password: TEST_PASSWORD, role: 'regulator', rpps: taken }).expect(409);
      await h.as(h.admin).post('/users').send({ email: `${unique('rpps')}@test.cpts.local`, password: TEST_PASSWORD, role: 'regulator', rpps }).expect(201);
      await h.as(h.admin).post('/practitioners').send({ rpps, firstName: 'Jean', lastName: 'Double', profession: 'general_practitioner', practiceId: (await h.practice(communityId)).id }).expect(409);
    });

    it('never creates an admin or a regulator, nor promotes anyone to admin (403)', async () => {
      const admin = await h.as(coordinator).post('/users').send({ email: 'pirate@test.cpts.local', password: TEST_PASSWORD, role: 'admin' }).expect(403);
      expect(admin.body.message).toContain('administrateur');
      await h.as(coordinator).post('/users').send({ email: 'regulation-pirate@test.cpts.local', password: TEST_PASSWORD, role: 'regulator' }).expect(403);
      const secretary = await h.account('secretary', { practiceId: (await h.practice(communityId)).id });
      await h.as(coordinator).patch(`/users/${secretary.id}`).send({ role: 'admin' }).expect(403);
      await h.as(coordinator).patch(`/users/${h.admin.id}`).send({ active: false }).expect(403);
      expect((await h.as(secretary).get('/practices')).status).toBe(200);
    });

    it('touches nothing of another CPTS (403), and creates accounts only in its own', async () => {
      const elsewhere = await h.community();
      const foreignPractice = (await h.practice(elsewhere)).id;
      const foreign = await h.account('secretary', { practiceId: foreignPractice });
      await h.as(coordinator).patch(`/users/${foreign.id}`).send({ active: false }).expect(403);
      expect((await h.as(foreign).get('/practices')).status).toBe(200);
      await h.as(coordinator).post('/users').send({ email: `x-${Date.now()}@test.cpts.local`, password: TEST_PASSWORD, role: 'secretary', practiceId: foreignPractice }).expect(403);
      await h.as(coordinator).post('/users').send({ email: `y-${Date.now()}@test.cpts.local`, password: TEST_PASSWORD, role: 'coordinator', communityId: elsewhere }).expect(403);
      const own = await h.as(coordinator).post('/users').send({ email: `z-${Date.now()}@test.cpts.local`, password: TEST_PASSWORD, role: 'secretary', practiceId: (await h.practice(communityId)).id }).expect(201);
      expect(own.body).toMatchObject({ role: 'secretary', communityId, active: true, mfa: false });
      const listed = await h.as(coordinator).get('/users').expect(200);
      expect(listed.body.users.every((u: any) => u.communityId === communityId)).toBe(true);
      expect(listed.body.users.map((u: any) => u.id)).not.toContain(foreign.id);
    });
  });

  it('keeps one active admin at least (409)', async () => {
    const admins = (await h.as(h.admin).get('/users?role=admin').expect(200)).body.users.filter((u: any) => u.active);
    for (const a of admins.filter((u: any) => u.id !== h.admin.id)) await h.as(h.admin).patch(`/users/${a.id}`).send({ active: false }).expect(200);
    const res = await h.as(h.admin).patch(`/users/${h.admin.id}`).send({ active: false }).expect(409);
    expect(res.body.error).toBe('last_admin');
    for (const a of admins.filter((u: any) => u.id !== h.admin.id)) await h.as(h.admin).patch(`/users/${a.id}`).send({ active: true }).expect(200);
  });
});
