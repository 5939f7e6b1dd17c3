import { DataSource } from 'typeorm';
import { Account, eventually, Harness, inMinutes, isolatedPlace, patient } from '../support/harness';

/**
 * A GP of the Dunois CPTS keeps some slots for the CPTS's practices (`cpts`), some for the 15 / SAS
 * (`regulation`), and most for both. Whoever looks — through the search, the availability board,
 * the agenda list, a hold, a booking, or the matching engine — sees and gets only the slots of
 * their audience; a practice always sees its own; another CPTS sees none of them.
 */
describe('slot audiences: cpts, regulation, or both', () => {
  let h: Harness;
  let place: { lat: number; lon: number };
  let gp: Account;
  let practitionerId: string;
  let communityId: string;
  const who = {} as Record<'ownSecretary' | 'colleague' | 'otherCpts' | 'regulator' | 'coordinator', Account>;
  const slots = {} as Record<'cptsOnly' | 'regulationOnly' | 'both', string>;

  beforeAll(async () => {
    h = await Harness.start();
    place = await isolatedPlace(h);
    communityId = await h.community();
    const practiceId = (await h.practice(communityId, { location: place })).id;
    practitionerId = (await h.practitioner(practiceId)).id;
    gp = await h.account('gp', { practitionerId });
    who.ownSecretary = await h.account('secretary', { practiceId });
    who.colleague = await h.account('secretary', { practiceId: (await h.practice(communityId, { location: place })).id });
    who.otherCpts = await h.account('secretary', { practiceId: (await h.practice(await h.community(), { location: place })).id });
    who.regulator = await h.account('regulator');
    who.coordinator = await h.account('coordinator', { communityId });

    const res = await h.as(gp).post('/slots').send({
      practitionerId,
      slots: [
        { start: inMinutes(60), end: inMinutes(75), audiences: ['cpts'] },
        { start: inMinutes(80), end: inMinutes(95), audiences: ['regulation'] },
        { start: inMinutes(100), end: inMinutes(115) },
      ],
    }).expect(201);
    expect(res.body.slots.map((s: any) => s.audiences)).toEqual([['cpts'], ['regulation'], ['cpts', 'regulation']]);
    [slots.cptsOnly, slots.regulationOnly, slots.both] = res.body.slots.map((s: any) => s.id);
  });
  afterAll(async () => {
    await h.close();
  });

  const searched = async (a: Account) =>
    (await h.as(a).get(`/slots/search?lat=${place.lat}&lon=${place.lon}&maxDistanceKm=5&limit=50`).expect(200)).body.results.map((r: any) => r.slot.id).sort();
  const expected = (...keys: Array<keyof typeof slots>) => keys.map((k) => slots[k]).sort();

  it('shows each caller the slots of their audience in the search', async () => {
    expect(await searched(who.ownSecretary)).toEqual(expected('cptsOnly', 'regulationOnly', 'both'));
    expect(await searched(who.colleague)).toEqual(expected('cptsOnly', 'both'));
    expect(await searched(who.coordinator)).toEqual(expected('cptsOnly', 'both'));
    expect(await searched(who.regulator)).toEqual(expected('regulationOnly', 'both'));
    expect(await searched(who.otherCpts)).toEqual([]);
  });

  it('counts only the regulation’s slots on the regulator’s availability board', async () => {
    const count = async (a: Account) =>
      (await h.as(a).get(`/availability?lat=${place.lat}&lon=${place.lon}&radiusKm=5`).expect(200)).body.buckets.reduce((n: number, b: any) => n + b.freeSlots, 0);
    expect(await count(who.regulator)).toBe(2);
    expect(await count(who.coordinator)).toBe(2);
  });

  it('lists an agenda’s slots by audience, and every slot to the GP and their practice', async () => {
    const listed = async (a: Account) => (await h.as(a).get(`/slots?practitionerId=${practitionerId}`).expect(200)).body.slots.map((s: any) => s.id).sort();
    expect(await listed(gp)).toEqual(expected('cptsOnly', 'regulationOnly', 'both'));
    expect(await listed(who.ownSecretary)).toEqual(expected('cptsOnly', 'regulationOnly', 'both'));
    expect(await listed(who.coordinator)).toEqual(expected('cptsOnly', 'regulationOnly', 'both'));
    expect(await listed(who.colleague)).toEqual(expected('cptsOnly', 'both'));
    expect(await listed(who.regulator)).toEqual(expected('regulationOnly', 'both'));
    expect(await listed(who.otherCpts)).toEqual([]);
    // The SAS's link opens one GP's agenda: the same rule.
    const agenda = await h.as(who.regulator).get(`/slots/search?practitionerId=${practitionerId}`).expect(200);
    expect(agenda.body.results.map((r: any) => r.slot.id)).toEqual([slots.regulationOnly, slots.both]);
    expect(agenda.body.results[0]).toMatchObject({ distanceKm: null, practitioner: { id: practitionerId } });
  });

  it('never lets a regulator hold or book a slot kept for the CPTS, nor another practice one kept for the regulation', async () => {
    await h.as(who.regulator).post(`/slots/${slots.cptsOnly}/hold`).expect(404);
    await h.as(who.regulator).post('/bookings').send({ slotId: slots.cptsOnly, patient: patient() }).expect(404);
    await h.as(who.colleague).post(`/slots/${slots.regulationOnly}/hold`).expect(404);
    await h.as(who.colleague).post('/bookings').send({ slotId: slots.regulationOnly, patient: patient() }).expect(404);
    await h.as(who.otherCpts).post(`/slots/${slots.both}/hold`).expect(404);
    const [{ status }] = await h.app.get(DataSource).query(`SELECT string_agg(status, ',' ORDER BY starts_at) AS status FROM slot WHERE practitioner_id = $1`, [practitionerId]);
    expect(status).toBe('free,free,free');
    // Their own audience's, they get.
    const held = await h.as(who.regulator).post(`/slots/${slots.regulationOnly}/hold`).expect(201);
    const booked = await h.as(who.regulator).post('/bookings').send({ slotId: slots.regulationOnly, holdToken: held.body.holdToken, patient: patient() }).expect(201);
    expect(booked.body).toMatchObject({ channel: 'regulation', slot: { id: slots.regulationOnly } });
    await h.as(who.ownSecretary).post(`/bookings/${booked.body.id}/cancel`).send({}).expect(200);
  });

  it('matches a regulator’s request on the regulation’s slots only, and a secretary’s on the CPTS’s', async () => {
    // A second GP nearby with one slot of each kind, 2 h ahead, when nothing else is free.
    const far = await isolatedPlace(h);
    const practiceId = (await h.practice(communityId, { location: far })).id;
    const doc = (await h.practitioner(practiceId)).id;
    const docGp = await h.account('gp', { practitionerId: doc });
    const [kept] = (await h.as(docGp).post('/slots').send({ practitionerId: doc, slots: [{ start: inMinutes(120), end: inMinutes(135), audiences: ['cpts'] }] }).expect(201)).body.slots;

    const file = (a: Account, lastName: string) =>
      h.as(a).post('/requests').send({ patient: patient({ lastName }), location: far, maxDistanceKm: 3 }).expect(202);
    const fromRegulation = (await file(who.regulator, 'Régulé')).body;
    const looked = await eventually(async () => (await h.as(who.regulator).get(`/requests/${fromRegulation.id}`).expect(200)).body, (r) => r.attempts >= 1);
    expect(looked.status).toBe('pending');

    // A colleague of the same CPTS files: the slot kept for the CPTS is theirs.
    const colleague = await h.account('secretary', { practiceId: (await h.practice(communityId, { location: far })).id });
    const fromCpts = (await file(colleague, 'Voisin')).body;
    const matched = await eventually(async () => (await h.as(colleague).get(`/requests/${fromCpts.id}`).expect(200)).body, (r) => r.status !== 'pending');
    expect(matched).toMatchObject({ status: 'matched', booking: { slot: { id: kept.id } } });

    // A slot for the regulation appears: the regulator's request gets it.
    const [forRegulation] = (await h.as(docGp).post('/slots').send({ practitionerId: doc, slots: [{ start: inMinutes(150), end: inMinutes(165), audiences: ['regulation'] }] }).expect(201)).body.slots;
    const got = await eventually(async () => (await h.as(who.regulator).get(`/requests/${fromRegulation.id}`).expect(200)).body, (r) => r.status !== 'pending');
    expect(got).toMatchObject({ status: 'matched', booking: { slot: { id: forRegulation.id } } });
    await h.as(who.regulator).post(`/requests/${fromRegulation.id}/cancel`).send({}).expect(200);
  });

  it('gives a weekly template’s slots the template’s audiences', async () => {
    const res = await h.as(gp).post('/slot-templates').send({
      practitionerId, weekdays: [1, 2, 3, 4, 5, 6, 7], startTime: '23:00', endTime: '23:30', slotMinutes: 30, audiences: ['regulation'], validFrom: new Date().toISOString().slice(0, 10),
    }).expect(201);
    expect(res.body.template.audiences).toEqual(['regulation']);
    const rows = await h.app.get(DataSource).query(`SELECT DISTINCT audiences FROM slot WHERE template_id = $1`, [res.body.template.id]);
    expect(rows).toEqual([{ audiences: ['regulation'] }]);
    const listed = await h.as(gp).get(`/slot-templates?practitionerId=${practitionerId}`).expect(200);
    expect(listed.body.templates.find((t: any) => t.id === res.body.template.id).audiences).toEqual(['regulation']);
    await h.as(gp).delete(`/slot-templates/${res.body.template.id}`).expect(204);
  });

  it('refuses an empty or unknown audience, in French', async () => {
    for (const audiences of [[], ['public'], ['cpts', 'cpts'], 'cpts']) {
      const res = await h.as(gp).post('/slots').send({ practitionerId, slots: [{ start: inMinutes(300), end: inMinutes(315), audiences }] }).expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(JSON.stringify(res.body.details)).toMatch(/audiences/);
    }
  });
});
