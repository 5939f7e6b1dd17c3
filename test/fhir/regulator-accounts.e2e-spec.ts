import { randomUUID } from 'crypto';
import { fhirProblems } from '../support/fhir-validation';
import { API, Harness, randomRpps, unique } from '../support/harness';
import { IDNPS, sas, sasScene } from './scene';

const SAS_ID = 'urn:oid:1.2.250.1.213.3.6';

/** A regulator as the SAS platform sends it (the ANS kit's helper_fluxv1.rb builds the same). */
function regulator(o: { system?: string; value?: string; email?: string; family?: string; given?: string; active?: boolean } = {}) {
  const system = o.system ?? SAS_ID;
  return {
    resourceType: 'Practitioner',
    id: 'sas-side-id',
    meta: { source: SAS_ID, profile: ['https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/FrPractitionerRegul'] },
    identifier: [{ type: { coding: [{ system: 'http://interopsante.org/fhir/CodeSystem/fr-v2-0203', code: system === IDNPS ? 'IDNPS' : 'INTRN' }] }, system, value: o.value ?? randomUUID() }],
    active: o.active ?? true,
    name: [{ family: o.family ?? 'Régulateur', given: [o.given ?? 'Camille'] }],
    telecom: [{ system: 'email', value: o.email ?? `${unique('regul')}@samu28.fr` }],
  };
}

/**
 * The SAS platform manages its regulators' accounts with us (INT_R02): it creates them, updates
 * them (the same PUT twice changes nothing more), deactivates them — sign-in refused at once — and
 * gives a departed regulator's IDNPS to a new account. What it sends wrong is refused, in FHIR.
 */
describe('FHIR façade: regulator accounts from the SAS (INT_R02)', () => {
  let h: Harness;
  let api: ReturnType<typeof sas>;
  beforeAll(async () => {
    h = await Harness.start();
    api = sas(h, (await sasScene(h)).key);
  });
  afterAll(async () => {
    await h.close();
  });

  const userByEmail = async (email: string) => (await h.as(h.admin).get('/users?role=regulator').expect(200)).body.users.find((u: any) => u.email === email);
  const signIn = (email: string, password: string) => h.http.post(`${API}/auth/login`).send({ email, password });

  it('creates an account (201, Location), refuses the same POST again, and reads it back', async () => {
    const body = regulator();
    const created = await api.post('/fhir/Practitioner').send(body).expect(201);
    expect(created.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(created.headers.location).toMatch(new RegExp(`/fhir/Practitioner/${created.body.id}$`));
    expect(created.body).toMatchObject({ resourceType: 'Practitioner', active: true, identifier: [{ system: SAS_ID, value: body.identifier[0].value }], name: [{ family: 'Régulateur', given: ['Camille'] }] });
    expect(fhirProblems(created.body)).toEqual([]);
    expect(await userByEmail(body.telecom[0].value)).toMatchObject({ role: 'regulator', active: true });

    const again = await api.post('/fhir/Practitioner').send(body).expect(409);
    expect(again.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'duplicate' }] });
    // Same e-mail, another identifier: still one person, refused.
    await api.post('/fhir/Practitioner').send(regulator({ email: body.telecom[0].value })).expect(409);

    const read = await api.get(`/fhir/Practitioner/${created.body.id}`).expect(200);
    expect(read.body).toEqual(created.body);
    const found = await api.get(`/fhir/Practitioner?identifier=${SAS_ID}|${body.identifier[0].value}`).expect(200);
    expect(found.body).toMatchObject({ total: 1, entry: [{ resource: { id: created.body.id } }] });
  });

  it('updates by identifier, idempotently, and creates on PUT when unknown', async () => {
    const value = randomUUID();
    const first = await api.put(`/fhir/Practitioner?identifier=${SAS_ID}|${value}`).send(regulator({ value, family: 'Dupont' })).expect(201);
    const email = `${unique('nouvelle')}@samu28.fr`;
    const change = regulator({ value, family: 'Dupont-Moreau', given: 'Alix', email });
    const updated = await api.put(`/fhir/Practitioner?identifier=${SAS_ID}|${value}`).send(change).expect(200);
    const twice = await api.put(`/fhir/Practitioner?identifier=${SAS_ID}%7C${value}`).send(change).expect(200);
    expect(updated.body).toEqual(twice.body);
    expect(updated.body).toMatchObject({ id: first.body.id, name: [{ family: 'Dupont-Moreau', given: ['Alix'] }], telecom: [{ system: 'email', value: email }] });
    expect(updated.headers.location).toMatch(new RegExp(`/fhir/Practitioner/${first.body.id}$`));
  });

  it('deactivates an account: its sign-in and its sessions are refused at once', async () => {
    const rpps = randomRpps();
    const body = regulator({ system: IDNPS, value: `8${rpps}` });
    const created = await api.post('/fhir/Practitioner').send(body).expect(201);
    // Its password was drawn at random; an admin sets one (or Pro Santé Connect signs them in by their RPPS).
    const account = await userByEmail(body.telecom[0].value);
    expect(account.rpps).toBe(rpps);
    await h.as(h.admin).patch(`/users/${account.id}`).send({ password: 'un-mot-de-passe-sur' }).expect(200);
    const session = await signIn(body.telecom[0].value, 'un-mot-de-passe-sur').expect(200);
    await h.as(session.body.accessToken).get('/bookings').expect(200);

    const off = await api.put(`/fhir/Practitioner?identifier=${IDNPS}|8${rpps}`).send({ ...body, active: false }).expect(200);
    expect(off.body).toMatchObject({ id: created.body.id, active: false });
    await h.as(session.body.accessToken).get('/bookings').expect(401);
    const refused = await signIn(body.telecom[0].value, 'un-mot-de-passe-sur').expect(401);
    expect(refused.body.message).toMatch(/désactivé/);
  });

  it('gives a deactivated regulator’s IDNPS to a new account', async () => {
    const idnps = `8${randomRpps()}`;
    const old = regulator({ system: IDNPS, value: idnps });
    const oldAccount = (await api.post('/fhir/Practitioner').send(old).expect(201)).body;
    await api.put(`/fhir/Practitioner?identifier=${IDNPS}|${idnps}`).send({ ...old, active: false }).expect(200);
    const uuid = randomUUID();
    const fresh = (await api.post('/fhir/Practitioner').send(regulator({ value: uuid })).expect(201)).body;
    const moved = await api.put(`/fhir/Practitioner?identifier=${SAS_ID}|${uuid}`).send(regulator({ system: IDNPS, value: idnps, email: fresh.telecom[0].value })).expect(200);
    expect(moved.body).toMatchObject({ id: fresh.id, active: true, identifier: [{ system: IDNPS, value: idnps }] });
    const found = await api.get(`/fhir/Practitioner?identifier=${IDNPS}|${idnps}`).expect(200);
    // Both carry it (the old one's appointments are still reported under it); the active one first.
    expect(found.body.entry.map((e: any) => [e.resource.id, e.resource.active])).toEqual([[fresh.id, true], [oldAccount.id, false]]);
    // An active account's identity cannot be taken by another.
    await api.put(`/fhir/Practitioner?identifier=${SAS_ID}|${randomUUID()}`).send(regulator({ system: IDNPS, value: idnps })).expect(409);
  });

  it('refuses what the SAS sends wrong (the kit’s invalid and incomplete regulators) with 400 OperationOutcomes', async () => {
    const ok = regulator();
    const without = (k: string) => Object.fromEntries(Object.entries(regulator()).filter(([key]) => key !== k));
    const bad: Array<[string, unknown]> = [
      ['empty family', { ...ok, name: [{ family: '', given: ['Claire'] }] }],
      ['empty e-mail', { ...ok, telecom: [{ system: 'email', value: '' }] }],
      ['phone instead of e-mail', { ...ok, telecom: [{ system: 'phone', value: `${randomUUID()} + claire.Marie@example.com` }] }],
      ['malformed e-mail', { ...ok, telecom: [{ system: 'email', value: `${randomUUID()} + claire.@example.com` }] }],
      ['INTRN code with the IDNPS system', { ...ok, identifier: [{ ...ok.identifier[0], system: IDNPS, value: '1223432432' }] }],
      ['IDNPS code with the SAS system', { ...ok, identifier: [{ ...ok.identifier[0], type: { coding: [{ system: 'http://interopsante.org/fhir/CodeSystem/fr-v2-0203', code: 'IDNPS' }] } }] }],
      ['a SAS identifier that is no UUID', regulator({ value: '1234' })],
      ['no identifier', without('identifier')],
      ['no name', without('name')],
      ['no telecom', without('telecom')],
      ['no active', without('active')],
      ['another resource', { ...ok, resourceType: 'Patient' }],
      ['a list', [ok]],
    ];
    for (const [what, body] of bad) {
      const res = await api.post('/fhir/Practitioner').send(body as object);
      expect([what, res.status]).toEqual([what, 400]);
      expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', diagnostics: expect.any(String) }] });
    }
    // Both FHIR JSON media types are read; anything else is not.
    for (const type of ['application/fhir+json', 'application/json+fhir; charset=utf-8']) {
      await api.post('/fhir/Practitioner').set('Content-Type', type).send(JSON.stringify(regulator())).expect(201);
    }
    const xml = await api.post('/fhir/Practitioner').set('Content-Type', 'application/fhir+xml').send('<Practitioner/>').expect(415);
    expect(xml.body.resourceType).toBe('OperationOutcome');
    const broken = await api.post('/fhir/Practitioner').set('Content-Type', 'application/fhir+json').send('{"resourceType": "Practitioner",').expect(400);
    expect(broken.body.resourceType).toBe('OperationOutcome');
    await api.put('/fhir/Practitioner').send(regulator()).expect(400);
  });

  it('takes accounts from the SAS platform’s key only, not from a regulator signed in', async () => {
    const person = await h.account('regulator');
    const res = await h.http.post('/fhir/Practitioner').set('Authorization', `Bearer ${person.token}`).send(regulator()).expect(403);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
    await h.http.post('/fhir/Practitioner').send(regulator()).expect(401);
  });
});
