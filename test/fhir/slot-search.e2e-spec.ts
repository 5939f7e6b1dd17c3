import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { fhirProblems } from '../support/fhir-validation';
import { Harness, patient } from '../support/harness';
import { sasBundleProblems } from '../support/sas-rules';
import { forms, IDNPS, publishAt, sas, sasScene } from './scene';

/**
 * The SAS platform asks every connected CPTS for its GPs' free slots (INT_R04): the three query
 * forms the guide and the ANS's test kit send, answered by one searchset Bundle that the FHIR R4
 * specification, the guide's profiles and the kit's rules all accept.
 */
describe('FHIR façade: the SAS searches our GPs’ free slots', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h.close();
  });

  const INCLUDES = '_include=Slot:schedule&_include:iterate=Schedule:actor&_include=Slot:service-type-reference&_include:iterate=HealthcareService:organization';
  const ids = (b: any, type = 'Slot') => (b.entry ?? []).filter((e: any) => e.resource.resourceType === type).map((e: any) => e.resource.id);

  /** The answer is valid in every way we can check offline; its entries are returned. */
  function expectValid(body: any, sent: string) {
    expect(sasBundleProblems(body, sent)).toEqual([]);
    expect(fhirProblems(body)).toEqual([]);
  }

  it('answers the guide’s CPTS example (offsets and bars unencoded) with a valid searchset', async () => {
    const scene = await sasScene(h, 2);
    const [a1, a2] = await publishAt(h, scene.gps[0].id, [60, 100]);
    const [b1] = await publishAt(h, scene.gps[1].id, [80], { modality: 'teleconsultation' });
    const from = forms(DateTime.utc().toISO()!).paris;
    const to = forms(DateTime.utc().plus({ hours: 48 }).toISO()!).paris;
    const sent = `_include=Slot:schedule&_include:iterate=Schedule:actor&_include=Slot:service-type-reference&_include:iterate=HealthcareService:organization&start=ge${from}&start=le${to}&schedule.actor:Practitioner.identifier=${IDNPS}|8${scene.gps[0].rpps},${IDNPS}|8${scene.gps[1].rpps}&status=free`;
    expect(sent).toMatch(/\+0[12]:00/);
    const res = await sas(h, scene.key).get(`/fhir/Slot?${sent}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    // Data, like the API's: never cached, nothing runs in it.
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expectValid(res.body, sent);
    expect(res.body.total).toBe(3);
    expect(ids(res.body)).toEqual([a1.id, b1.id, a2.id]);
    // One Practitioner, PractitionerRole and Schedule per GP; one HealthcareService and Organization for the CPTS.
    expect(['Practitioner', 'PractitionerRole', 'Schedule', 'HealthcareService', 'Organization'].map((t) => ids(res.body, t).length)).toEqual([2, 2, 2, 1, 1]);

    const slot = res.body.entry.find((e: any) => e.resource.id === b1.id).resource;
    expect(slot).toMatchObject({
      meta: { security: [{ code: 'CPTS' }, { code: 'SNP' }] },
      serviceType: [{ coding: [{ code: 'VR' }] }, { coding: [{ code: '604' }], extension: [{ valueReference: { reference: `HealthcareService/${scene.community.id}` } }] }],
      specialty: [{ coding: [{ code: 'SM54' }] }],
      schedule: { reference: `Schedule/${scene.gps[1].id}` },
      start: forms(b1.start).paris,
      comment: expect.stringMatching(new RegExp(`/agenda/${scene.gps[1].id}$`)),
    });
    const organization = res.body.entry.find((e: any) => e.resource.resourceType === 'Organization').resource;
    expect(organization.identifier[0].value).toBe(`1${scene.finess}`);
    const role = res.body.entry.find((e: any) => e.resource.id === scene.gps[0].id && e.resource.resourceType === 'PractitionerRole').resource;
    expect(role.contained[0].address).toEqual({ line: ['12 rue de la République'], city: 'Châteaudun', postalCode: '28200' });
    expect(role.telecom).toEqual([{ system: 'phone', value: '+33237451234' }]);
    const practitioner = res.body.entry.find((e: any) => e.resource.resourceType === 'Practitioner' && e.resource.id === scene.gps[0].id).resource;
    expect(practitioner.identifier[0].value).toBe(`8${scene.gps[0].rpps}`);
  });

  it('answers the guide’s encoded form with _count and a trailing slash, offsets in UTC', async () => {
    const scene = await sasScene(h);
    const [slot] = await publishAt(h, scene.gps[0].id, [45]);
    const f = forms(DateTime.utc().toISO()!).utc;
    const t = forms(DateTime.utc().plus({ hours: 30 }).toISO()!).utc;
    const sent = `_include=Slot:schedule&_include:iterate=Schedule:actor&status=free&start=ge${f}&start=le${t}&schedule.actor:Practitioner.identifier=${encodeURIComponent(IDNPS)}%7C8${scene.gps[0].rpps},urn:oid:1.2.250.1.71.4.2.1%7C810100050075&_count=1000`;
    const res = await sas(h, scene.key).get(`/fhir/Slot/?${sent}`).expect(200);
    expectValid(res.body, sent);
    expect(ids(res.body)).toEqual([slot.id]);
    // Only what was asked is included: no HealthcareService nor Organization here.
    expect(ids(res.body, 'HealthcareService')).toEqual([]);
    expect(ids(res.body, 'Schedule')).toEqual([scene.gps[0].id]);
  });

  it('answers the kit’s form (Paris time without offset), window bounds included', async () => {
    const scene = await sasScene(h);
    const [first, , last] = await publishAt(h, scene.gps[0].id, [60, 90, 120, 150]);
    // The window starts exactly at the first slot and ends exactly at the third: both are in.
    const sent = `${INCLUDES}&schedule.actor:Practitioner.identifier=${IDNPS}|8${scene.gps[0].rpps}&start=ge${forms(first.start).local}&start=le${forms(last.start).local}&status=free`;
    const res = await sas(h, scene.key).get(`/fhir/Slot?${sent}`).expect(200);
    expectValid(res.body, sent);
    expect(res.body.total).toBe(3);
    expect(ids(res.body)[0]).toBe(first.id);
    expect(ids(res.body)[2]).toBe(last.id);
  });

  it('answers 25 practitioners at once', async () => {
    const scene = await sasScene(h, 25);
    for (const [i, gp] of scene.gps.entries()) await publishAt(h, gp.id, [30 + i * 3]);
    const list = scene.gps.map((g) => `${IDNPS}|8${g.rpps}`).join(',');
    const sent = `${INCLUDES}&start=ge${forms(DateTime.utc().toISO()!).local}&start=le${forms(DateTime.utc().plus({ hours: 48 }).toISO()!).local}&schedule.actor:Practitioner.identifier=${list}&status=free`;
    const res = await sas(h, scene.key).get(`/fhir/Slot?${sent}`).expect(200);
    expectValid(res.body, sent);
    expect(res.body.total).toBe(25);
    expect(['Practitioner', 'PractitionerRole', 'Schedule', 'HealthcareService', 'Organization'].map((t) => ids(res.body, t).length)).toEqual([25, 25, 25, 1, 1]);
  });

  it('answers an unknown RPPS (or an ADELI) with an empty searchset, never 404', async () => {
    const scene = await sasScene(h);
    const sent = `${INCLUDES}&start=ge${forms(DateTime.utc().toISO()!).local}&start=le${forms(DateTime.utc().plus({ hours: 48 }).toISO()!).local}&schedule.actor:Practitioner.identifier=${IDNPS}|810000000000,${IDNPS}|0123456789&status=free`;
    const res = await sas(h, scene.key).get(`/fhir/Slot?${sent}`).expect(200);
    expect(res.body).toEqual({ resourceType: 'Bundle', meta: { profile: [expect.any(String)] }, type: 'searchset', total: 0, link: [{ relation: 'self', url: expect.stringContaining('/fhir/Slot?') }] });
    expectValid(res.body, sent);
  });

  it('never shows a booked, held, withdrawn or CPTS-only slot as free; an expired hold is free again', async () => {
    const scene = await sasScene(h);
    const gp = scene.gps[0];
    const [booked, held, withdrawn, lapsed, free, cptsOnly] = await publishAt(h, gp.id, [40, 60, 80, 100, 120, 140]);
    await h.app.get(DataSource).query(`UPDATE slot SET audiences = '{cpts}' WHERE id = $1`, [cptsOnly.id]);
    const [regulationOnly] = await publishAt(h, gp.id, [160], { audiences: ['regulation'] });
    const regulator = await h.account('regulator');
    await h.as(regulator).post('/bookings').send({ slotId: booked.id, patient: patient() }).expect(201);
    await h.as(regulator).post(`/slots/${held.id}/hold`).expect(201);
    await h.as(regulator).post(`/slots/${lapsed.id}/hold`).expect(201);
    await h.app.get(DataSource).query(`UPDATE slot SET hold_expires_at = now() - interval '1 second' WHERE id = $1`, [lapsed.id]);
    await h.as(h.admin).delete(`/slots/${withdrawn.id}`).expect(204);

    const sent = `${INCLUDES}&start=ge${forms(DateTime.utc().toISO()!).paris}&start=le${forms(DateTime.utc().plus({ hours: 6 }).toISO()!).paris}&schedule.actor:Practitioner.identifier=${IDNPS}|8${gp.rpps}&status=free`;
    const res = await sas(h, scene.key).get(`/fhir/Slot?${sent}`).expect(200);
    expectValid(res.body, sent);
    expect(ids(res.body)).toEqual([lapsed.id, free.id, regulationOnly.id]);
    const security = (id: string) => res.body.entry.find((e: any) => e.resource.id === id).resource.meta.security.map((c: any) => c.code);
    expect(security(free.id)).toEqual(['CPTS', 'SNP']);
    expect(security(regulationOnly.id)).toEqual(['SNP']);

    // Read one by one, each says what it is now (and a CPTS-only one does not exist for the SAS).
    const status = async (id: string) => (await sas(h, scene.key).get(`/fhir/Slot/${id}`).expect(200)).body.status;
    expect(await status(booked.id)).toBe('busy');
    expect(await status(held.id)).toBe('busy-tentative');
    expect(await status(withdrawn.id)).toBe('entered-in-error');
    expect(await status(lapsed.id)).toBe('free');
    const hidden = await sas(h, scene.key).get(`/fhir/Slot/${cptsOnly.id}`).expect(404);
    expect(hidden.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
  });

  it('shows nothing of a CPTS without FINESS (the SAS cannot identify it)', async () => {
    const scene = await sasScene(h);
    const other = await h.as(h.admin).post('/communities').send({ name: `CPTS sans FINESS ${Date.now()}`, communeCodes: ['28088'] }).expect(201);
    const practice = await h.practice(other.body.id);
    const doc = await h.practitioner(practice.id);
    await publishAt(h, doc.id, [50]);
    const [{ rpps }] = await h.app.get(DataSource).query(`SELECT rpps FROM practitioner WHERE id = $1`, [doc.id]);
    const sent = `${INCLUDES}&start=ge${forms(DateTime.utc().toISO()!).paris}&start=le${forms(DateTime.utc().plus({ hours: 6 }).toISO()!).paris}&schedule.actor:Practitioner.identifier=${IDNPS}|8${rpps}&status=free`;
    expect((await sas(h, scene.key).get(`/fhir/Slot?${sent}`).expect(200)).body.total).toBe(0);
    // Once the admin gives it its FINESS, the SAS sees it.
    await h.as(h.admin).patch(`/communities/${other.body.id}`).send({ finess: (await import('./scene')).uniqueFiness() }).expect(200);
    expect((await sas(h, scene.key).get(`/fhir/Slot?${sent}`).expect(200)).body.total).toBe(1);
  });

  it('reads a Slot, a Schedule and a Practitioner by id, and searches them', async () => {
    const scene = await sasScene(h);
    const gp = scene.gps[0];
    const [slot] = await publishAt(h, gp.id, [70]);
    const api = sas(h, scene.key);
    const read = async (path: string) => {
      const res = await api.get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expect(fhirProblems(res.body)).toEqual([]);
      return res.body;
    };
    expect(await read(`/fhir/Slot/${slot.id}`)).toMatchObject({ resourceType: 'Slot', id: slot.id, status: 'free' });
    expect(await read(`/fhir/Schedule/${gp.id}`)).toMatchObject({ resourceType: 'Schedule', actor: [{ reference: `Practitioner/${gp.id}` }, { reference: `PractitionerRole/${gp.id}` }] });
    expect(await read(`/fhir/Practitioner/${gp.id}`)).toMatchObject({ resourceType: 'Practitioner', identifier: [{ value: `8${gp.rpps}` }] });
    const schedules = await read(`/fhir/Schedule?actor=Practitioner/${gp.id}`);
    expect(schedules).toMatchObject({ type: 'searchset', total: 1, entry: [{ resource: { resourceType: 'Schedule', id: gp.id }, search: { mode: 'match' } }] });
    const found = await read(`/fhir/Practitioner?identifier=${IDNPS}|8${gp.rpps}`);
    expect(found).toMatchObject({ total: 1, entry: [{ resource: { id: gp.id } }] });
    for (const path of ['/fhir/Slot/00000000-0000-0000-0000-000000000000', '/fhir/Schedule/nope', '/fhir/Practitioner/12', '/fhir/Appointment']) {
      const res = await api.get(path).expect(404);
      expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
    }
    const metadata = await h.http.get('/fhir/metadata').set('Accept', 'application/fhir+json').expect(200);
    expect(metadata.body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance', rest: [{ mode: 'server' }] });
    expect(metadata.body.rest[0].resource.find((r: any) => r.type === 'Slot').searchInclude).toEqual(['Slot:schedule', 'Schedule:actor', 'Slot:service-type-reference', 'HealthcareService:organization']);
    expect(fhirProblems(metadata.body)).toEqual([]);
  });

  it('answers malformed searches with 400, and no credentials with 401, as OperationOutcomes; never a 5xx', async () => {
    const scene = await sasScene(h);
    const api = sas(h, scene.key);
    const ok = `start=ge2026-11-30T10:00:00.000&start=le2026-12-02T23:59:59.000&schedule.actor:Practitioner.identifier=${IDNPS}|8${scene.gps[0].rpps}&status=free`;
    await api.get(`/fhir/Slot?${ok}`).expect(200);
    const bad = [
      '', 'status=free', ok.replace(/start=ge[^&]*&/, ''), ok.replace('ge2026-11-30', 'ge2026-02-30'), ok.replace('ge2026', 'gt2026'), ok.replace('ge2026-11-30T10:00:00.000', 'geaujourdhui'),
      ok.replace(/&schedule[^&]*/, ''), ok.replace(IDNPS, 'urn:oid:1.2.3'), ok.replace('status=free', 'status=busy'), `${ok}&start=ge2026-12-01`,
      ok.replace(`${IDNPS}|8${scene.gps[0].rpps}`, Array.from({ length: 26 }, (_, i) => `${IDNPS}|8100000000${String(i).padStart(2, '0')}`).join(',')),
      `${ok}&_count=beaucoup`, 'start=ge%ZZ', `${ok}&schedule.actor:Practitioner.identifier=${IDNPS}|810000000000`,
    ];
    for (const q of bad) {
      const res = await api.get(`/fhir/Slot?${q}`);
      expect([q, res.status]).toEqual([q, 400]);
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', diagnostics: expect.any(String) }] });
      expect(fhirProblems(res.body)).toEqual([]);
    }
    const anonymous = await h.http.get(`/fhir/Slot?${ok}`).set('Accept', 'application/fhir+json').expect(401);
    expect(anonymous.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
    await h.http.get(`/fhir/Slot?${ok}`).set('X-Api-Key', 'snp_not-a-key').expect(401);
    const secretary = await h.account('secretary', { practiceId: scene.practice.id });
    const refused = await h.http.get(`/fhir/Slot?${ok}`).set('Authorization', `Bearer ${secretary.token}`).expect(403);
    expect(refused.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
  });
});
