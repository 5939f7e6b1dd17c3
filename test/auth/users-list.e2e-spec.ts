import { Account, Harness } from '../support/harness';

/**
 * The coordination looks over who has an account: by role then e-mail, narrowed to a role or a
 * practice, and never a password hash in the answer. Practices' own staff may not read the list.
 */
describe('the coordination lists the accounts', () => {
  let h: Harness;
  let practiceId: string;
  let practitionerId: string;
  let communityId: string;
  let coordinator: Account;
  let gp: Account;
  let secretaries: Account[];

  beforeAll(async () => {
    h = await Harness.start();
    const scene = await h.gpWithAgenda();
    practiceId = scene.practiceId;
    practitionerId = scene.practitionerId;
    communityId = scene.communityId;
    gp = scene.gp;
    secretaries = [await h.account('secretary', { practiceId }), await h.account('secretary', { practiceId })];
    coordinator = await h.account('coordinator', { communityId });
  });

  afterAll(() => h.close());

  it('lists a practice’s accounts by role then e-mail, with their links and no password', async () => {
    const res = await h.as(coordinator).get(`/users?practiceId=${practiceId}`).expect(200);
    const expected = [gp, ...[...secretaries].sort((a, b) => a.email.localeCompare(b.email))];
    expect(res.body.users.map((u: any) => u.email)).toEqual(expected.map((a) => a.email));
    expect(res.body.users[0]).toEqual({ id: gp.id, email: gp.email, role: 'gp', practiceId, practitionerId, communityId, active: true, mfa: false, createdAt: expect.any(String) });
    expect(new Date(res.body.users[0].createdAt).toISOString()).toBe(res.body.users[0].createdAt);
    expect(res.body.users[1]).toEqual({ id: expected[1].id, email: expected[1].email, role: 'secretary', practiceId, communityId, active: true, mfa: false, createdAt: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash|argon/i);
  });

  it('lists every account for an admin, in role order, without a password anywhere', async () => {
    const res = await h.as(h.admin).get('/users').expect(200);
    const users: Array<Record<string, string>> = res.body.users;
    const roles = users.map((u) => u.role);
    expect(roles).toEqual([...roles].sort());
    expect(users.map((u) => u.id)).toEqual(expect.arrayContaining([h.admin.id, coordinator.id, gp.id, ...secretaries.map((s) => s.id)]));
    const admin = users.find((u) => u.id === h.admin.id)!;
    expect(admin).toEqual({ id: h.admin.id, email: h.admin.email, role: 'admin', active: true, mfa: false, createdAt: expect.any(String) });
    for (const u of users) expect(Object.keys(u).filter((k) => /password/i.test(k))).toEqual([]);
  });

  it('narrows to one role', async () => {
    const res = await h.as(coordinator).get(`/users?role=secretary&practiceId=${practiceId}`).expect(200);
    expect(res.body.users.map((u: any) => u.id).sort()).toEqual(secretaries.map((s) => s.id).sort());
    const coordinators = await h.as(coordinator).get('/users?role=coordinator').expect(200);
    expect(coordinators.body.users.every((u: any) => u.role === 'coordinator')).toBe(true);
    expect(coordinators.body.users.map((u: any) => u.id)).toContain(coordinator.id);
  });

  it('says in French what is wrong with the filters', async () => {
    const role = await h.as(coordinator).get('/users?role=foo').expect(400);
    expect(role.body).toMatchObject({ statusCode: 400, error: 'validation_failed', message: expect.stringContaining("role doit être l'un de : admin, coordinator, gp, secretary, regulator") });
    expect(role.body.details.map((d: any) => d.field)).toEqual(['role']);

    const practice = await h.as(coordinator).get('/users?practiceId=not-a-uuid').expect(400);
    expect(practice.body.message).toContain('practiceId doit être un identifiant (uuid)');
    expect(practice.body.details.map((d: any) => d.field)).toEqual(['practiceId']);

    const unknown = await h.as(coordinator).get('/users?email=x').expect(400);
    expect(unknown.body.details.map((d: any) => d.field)).toEqual(['email']);
  });

  it('is refused to a GP, a secretary and the regulation', async () => {
    const regulator = await h.account('regulator');
    for (const who of [gp, secretaries[0], regulator]) {
      const res = await h.as(who).get('/users').expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'forbidden', message: 'Action réservée aux rôles : admin, coordinator' });
    }
  });
});
