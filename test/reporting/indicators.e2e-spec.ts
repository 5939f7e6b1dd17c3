import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { Account, eventually, Harness, isolatedPlace, patient, randomRpps } from '../support/harness';

/** An instant given in Paris wall time (the way the coordination reads its days). */
const paris = (local: string) => DateTime.fromISO(local, { zone: 'Europe/Paris' }).toJSDate();

/**
 * The coordination's figures over two ISO weeks around the daylight-saving Sunday of 2026
 * (25 October: 03:00 → 02:00), with bookings through every channel, outcomes, a cancellation, an
 * unused and a withdrawn slot, and requests in every state. Everything is made through the API,
 * then placed in time with SQL (a booking can only be made for a slot to come): each counter must
 * equal what the story made, the weeks split on Paris's Monday (not UTC's), and sum to the totals.
 */
describe('indicators: the coordination’s figures (GET /indicators, /indicators/weekly)', () => {
  let h: Harness;
  let ds: DataSource;
  let a: { communityId: string; practitionerId: string; gp: Account; secretary: Account; coordinator: Account };
  let b: { communityId: string; coordinator: Account };
  let regulator: Account;
  const PERIOD = 'from=2026-10-19&to=2026-11-01';

  /** Moves a booking and its slot: made at `made`, starting at `start` (Paris wall times). */
  async function place(bookingId: string, made: string, start: string) {
    await ds.query(`UPDATE slot SET starts_at = $2, ends_at = $2::timestamptz + interval '15 minutes' WHERE id = (SELECT slot_id FROM booking WHERE id = $1)`, [bookingId, paris(start)]);
    await ds.query(`UPDATE booking SET created_at = $2, slot_starts_at = $3 WHERE id = $1`, [bookingId, paris(made), paris(start)]);
  }
  const placeSlot = (slotId: string, start: string) =>
    ds.query(`UPDATE slot SET starts_at = $2, ends_at = $2::timestamptz + interval '15 minutes' WHERE id = $1`, [slotId, paris(start)]);
  const placeRequest = (requestId: string, made: string) => ds.query(`UPDATE snp_request SET created_at = $2 WHERE id = $1`, [requestId, paris(made)]);

  let next = 600;
  const slot = async (who: Account = a.gp, practitionerId = a.practitionerId) => (await h.publish(who, practitionerId, [(next += 30)]))[0].id as string;
  const book = async (who: Account, slotId: string, extra: Record<string, unknown> = {}) =>
    (await h.as(who).post('/bookings').send({ slotId, patient: patient(extra), reason: 'fièvre' }).expect(201)).body.id as string;
  const outcome = (bookingId: string, value: 'attended' | 'no_show') => h.as(a.gp).post(`/bookings/${bookingId}/outcome`).send({ outcome: value }).expect(200);

  beforeAll(async () => {
    h = await Harness.start();
    ds = h.app.get(DataSource);
    const place0 = await isolatedPlace(h);
    const communityA = await h.community(['28088']);
    const practiceA = (await h.practice(communityA, { location: place0 })).id;
    const practitionerId = (await h.practitioner(practiceA)).id;
    await h.practitioner(practiceA); // a member who publishes nothing
    a = {
      communityId: communityA,
      practitionerId,
      gp: await h.account('gp', { practitionerId }),
      secretary: await h.account('secretary', { practiceId: practiceA }),
      coordinator: await h.account('coordinator', { communityId: communityA }),
    };
    const communityB = await h.community(['28051']);
    b = { communityId: communityB, coordinator: await h.account('coordinator', { communityId: communityB }) };
    regulator = await h.account('regulator');
    const coordinatorA = a.coordinator;

    // Week 43 (19–25 October) and week 44 (26 October – 1 November), Paris time.
    const b1 = await book(a.secretary, await slot(), { hasReferringGp: true });
    await place(b1, '2026-10-20T09:00', '2026-10-20T10:00');
    await outcome(b1, 'attended');
    // Sunday of the clock change, 23:30 in Paris (22:30 UTC): still week 43.
    const b2 = await book(regulator, await slot(), { hasReferringGp: true, referringGpRpps: randomRpps() });
    await place(b2, '2026-10-25T23:30', '2026-10-26T08:00');
    await outcome(b2, 'attended');
    // Monday 00:30 in Paris is Sunday 23:30 UTC: week 44 in Paris, week 43 in UTC.
    const b3 = await book(coordinatorA, await slot(), { hasReferringGp: false });
    await place(b3, '2026-10-26T00:30', '2026-10-28T09:00');
    await outcome(b3, 'no_show');
    const b4 = await book(a.secretary, await slot(), { hasReferringGp: false });
    await h.as(a.secretary).post(`/bookings/${b4}/cancel`).send({ reason: 'le patient va mieux' }).expect(200);
    await place(b4, '2026-10-27T10:00', '2026-10-27T11:00');

    // The engine books a secretary's request on the only slot near it.
    const s5 = await slot();
    const r1 = (await h.as(a.secretary).post('/requests').send({ patient: patient({ hasReferringGp: true }), location: place0, maxDistanceKm: 2 }).expect(202)).body.id;
    const matched = await eventually(async () => (await h.as(a.secretary).get(`/requests/${r1}`).expect(200)).body, (r) => r.status === 'matched');
    expect(matched.booking.slot.id).toBe(s5);
    await place(matched.booking.id, '2026-10-29T10:00', '2026-10-29T14:00');
    await placeRequest(r1, '2026-10-29T09:55');

    // A slot nobody took, and one its GP withdrew.
    await placeSlot(await slot(), '2026-10-24T10:00');
    const withdrawn = await slot();
    await h.as(a.gp).delete(`/slots/${withdrawn}`).expect(204);
    await placeSlot(withdrawn, '2026-10-24T11:00');

    // Requests: waiting, cancelled, left without a slot, and the regulation's in A's commune.
    const far = await isolatedPlace(h);
    const file = async (who: Account) => (await h.as(who).post('/requests').send({ patient: patient(), location: far, maxDistanceKm: 0.5 }).expect(202)).body.id as string;
    const r2 = await file(a.secretary);
    await placeRequest(r2, '2026-10-21T10:00');
    const r3 = await file(a.secretary);
    await h.as(a.secretary).post(`/requests/${r3}/cancel`).send({}).expect(200);
    await placeRequest(r3, '2026-10-22T10:00');
    const r4 = await file(a.secretary);
    // Left without a slot at its deadline (set here: how the engine gives up is not this story's point).
    await ds.query(`UPDATE snp_request SET status = 'unmatched', status_changed_at = now() WHERE id = $1`, [r4]);
    await placeRequest(r4, '2026-10-30T10:00');
    const r5 = await file(regulator);
    await ds.query(`UPDATE snp_request SET location_commune_code = '28088' WHERE id = $1`, [r5]);
    await placeRequest(r5, '2026-10-23T10:00');

    // CPTS B's own booking in the same weeks: none of A's business.
    const practiceB = (await h.practice(communityB)).id;
    const gpB = (await h.practitioner(practiceB)).id;
    const secretaryB = await h.account('secretary', { practiceId: practiceB });
    const bB = await book(secretaryB, (await h.publish(h.admin, gpB, [(next += 30)]))[0].id);
    await place(bB, '2026-10-27T09:00', '2026-10-27T10:00');
  });
  afterAll(() => h?.close());

  const A_TOTALS = {
    from: '2026-10-19',
    to: '2026-11-01',
    requests: { filed: 5, matched: 1, unmatched: 1, cancelled: 1, pending: 2, matchedWithin24h: 1 },
    bookings: { total: 5, byChannel: { secretary: 2, regulation: 1, matching: 1, coordination: 1 }, within24h: 4, attended: 2, noShow: 1, cancelled: 1 },
    slots: { published: 6, booked: 4, unused: 2, fillRate: 0.67 },
    practitioners: { members: 2, publishing: 1 },
    patients: { withoutReferringGp: 2 },
  };

  it('counts exactly what the CPTS made in the period, for its coordination and for an admin', async () => {
    const mine = (await h.as(a.coordinator).get(`/indicators?${PERIOD}`).expect(200)).body;
    expect(mine).toEqual({ ...A_TOTALS, communityId: a.communityId });
    expect((await h.as(h.admin).get(`/indicators?${PERIOD}&communityId=${a.communityId}`).expect(200)).body).toEqual(mine);
    // Every CPTS together: A's and B's at least.
    const all = (await h.as(h.admin).get(`/indicators?${PERIOD}`).expect(200)).body;
    expect(all.communityId).toBeNull();
    expect(all.bookings.total).toBeGreaterThanOrEqual(6);
    // B's coordination sees B's booking only.
    const theirs = (await h.as(b.coordinator).get(`/indicators?${PERIOD}`).expect(200)).body;
    expect(theirs).toMatchObject({ communityId: b.communityId, bookings: { total: 1, byChannel: { secretary: 1 } }, requests: { filed: 0 } });
    // One day of the period: the clock-change Sunday (25 hours in Paris) holds the regulation's booking.
    const sunday = (await h.as(a.coordinator).get('/indicators?from=2026-10-25&to=2026-10-25').expect(200)).body;
    expect(sunday.bookings).toMatchObject({ total: 1, byChannel: { regulation: 1 } });
  });

  it('splits the weeks on Paris’s Monday, lists every week, and the weeks add up to the totals', async () => {
    const { weeks } = (await h.as(a.coordinator).get(`/indicators/weekly?${PERIOD}`).expect(200)).body;
    expect(weeks.map((w: any) => w.week)).toEqual(['2026-W43', '2026-W44']);
    expect(weeks.map((w: any) => w.bookings.total)).toEqual([2, 3]);
    expect(weeks.map((w: any) => w.bookings.byChannel)).toEqual([
      { secretary: 1, regulation: 1, matching: 0, coordination: 0 },
      { secretary: 1, regulation: 0, matching: 1, coordination: 1 },
    ]);
    expect(weeks.map((w: any) => w.slots.published)).toEqual([2, 4]);
    expect(weeks.map((w: any) => w.requests.filed)).toEqual([3, 2]);
    const sum = (path: (w: any) => number) => weeks.reduce((n: number, w: any) => n + path(w), 0);
    for (const [name, path] of [
      ['requests.filed', (w: any) => w.requests.filed], ['requests.matched', (w: any) => w.requests.matched], ['requests.pending', (w: any) => w.requests.pending],
      ['bookings.total', (w: any) => w.bookings.total], ['bookings.within24h', (w: any) => w.bookings.within24h], ['bookings.attended', (w: any) => w.bookings.attended],
      ['bookings.noShow', (w: any) => w.bookings.noShow], ['bookings.cancelled', (w: any) => w.bookings.cancelled], ['slots.published', (w: any) => w.slots.published],
      ['slots.booked', (w: any) => w.slots.booked], ['slots.unused', (w: any) => w.slots.unused], ['patients.withoutReferringGp', (w: any) => w.patients.withoutReferringGp],
    ] as const) {
      expect([name, sum(path)]).toEqual([name, name.split('.').reduce((v: any, k) => v[k], A_TOTALS)]);
    }
    // A longer period lists its empty weeks at 0.
    const quiet = (await h.as(a.coordinator).get('/indicators/weekly?from=2026-10-05&to=2026-11-08').expect(200)).body.weeks;
    expect(quiet.map((w: any) => [w.week, w.bookings.total])).toEqual([['2026-W41', 0], ['2026-W42', 0], ['2026-W43', 2], ['2026-W44', 3], ['2026-W45', 0]]);
    expect(quiet[0].slots.fillRate).toBeNull();
  });

  it('answers a CSV that opens as it is in a French spreadsheet', async () => {
    const res = await h.as(a.coordinator).get(`/indicators?${PERIOD}&format=csv`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('indicateurs-snp-2026-10-19-2026-11-01.csv');
    const text: string = res.text;
    expect(text.startsWith('\uFEFFindicateur;libelle;valeur\r\n')).toBe(true);
    expect(text).toContain('\r\nbookings.byChannel.regulation;RDV pris par la régulation;1\r\n');
    expect(text).toContain('\r\nslots.fillRate;Taux de remplissage des créneaux;0,67\r\n');
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(23);
    const viaAccept = await h.as(a.coordinator).get(`/indicators?${PERIOD}`).set('Accept', 'text/csv').expect(200);
    expect(viaAccept.text).toBe(text);
  });

  it('refuses bad periods with 400 and other roles and CPTS with 403', async () => {
    for (const q of ['from=2026-11-01&to=2026-10-19', 'from=2025-01-01&to=2026-01-03', 'from=2026-02-30&to=2026-03-01', 'from=2026-10-19', 'from=demain&to=2026-10-19']) {
      const res = await h.as(a.coordinator).get(`/indicators?${q}`).expect(400);
      expect(res.body.error).toBe('validation_failed');
    }
    // A leap year's whole year fits.
    await h.as(a.coordinator).get('/indicators/weekly?from=2028-01-01&to=2028-12-31').expect(200);
    await h.as(a.secretary).get(`/indicators?${PERIOD}`).expect(403);
    await h.as(a.gp).get(`/indicators/weekly?${PERIOD}`).expect(403);
    await h.as(regulator).get(`/indicators?${PERIOD}`).expect(403);
    const other = await h.as(b.coordinator).get(`/indicators?${PERIOD}&communityId=${a.communityId}`).expect(403);
    expect(other.body.message).toContain('sa CPTS');
    await h.as(b.coordinator).get(`/indicators/weekly?${PERIOD}&communityId=${a.communityId}`).expect(403);
    await h.as(h.admin).get(`/indicators?${PERIOD}&communityId=00000000-0000-4000-8000-000000000000`).expect(404);
  });

  it('counts a slot whose booking was cancelled after it started as unused, not booked', async () => {
    const { communityId, practiceId, practitionerId, gp } = await h.gpWithAgenda();
    const secretary = await h.account('secretary', { practiceId });
    const coordinator = await h.account('coordinator', { communityId });
    const id = await book(secretary, await slot(gp, practitionerId));
    await place(id, '2026-10-21T08:00', '2026-10-21T09:00');
    // The patient did not come and nobody recorded it: the practice cancels it afterwards.
    await h.as(secretary).post(`/bookings/${id}/cancel`).send({ reason: 'patient non venu, annulé après coup' }).expect(200);
    const figures = (await h.as(coordinator).get(`/indicators?${PERIOD}`).expect(200)).body;
    expect(figures.slots).toEqual({ published: 1, booked: 0, unused: 1, fillRate: 0 });
    expect(figures.bookings).toMatchObject({ total: 1, cancelled: 1 });
  });

  it('gives the dashboard its table per GP of the CPTS', async () => {
    const { practitioners } = (await h.as(a.coordinator).get(`/indicators/practitioners?${PERIOD}`).expect(200)).body;
    const gp = practitioners.find((p: any) => p.id === a.practitionerId);
    expect(gp).toMatchObject({ slots: { published: 6, booked: 4, fillRate: 0.67 }, bookings: { attended: 2, noShow: 1 } });
    expect(practitioners).toHaveLength(2);
    await h.as(h.admin).get(`/indicators/practitioners?${PERIOD}`).expect(400);
    await h.as(a.secretary).get(`/indicators/practitioners?${PERIOD}`).expect(403);
  });
});
