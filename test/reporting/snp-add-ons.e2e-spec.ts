import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { Account, eventually, Harness, isolatedPlace, patient, randomRpps } from '../support/harness';

const paris = (local: string) => DateTime.fromISO(local, { zone: 'Europe/Paris' }).toJSDate();

/**
 * The SNP add-on counter (NGAP art. 14.1.3): in one GP's ISO week — the one of the 2026 clock
 * change — 21 consultations the regulation referred and the GP saw within 48 h, and one of each
 * kind that does not count. The first 20 by start are payable, the 21st is over the limit, and each
 * of the five reasons appears. The 48 h are real hours: across the clock change, Saturday noon to
 * Monday 11:30 is 48 h 30 (47 h 30 on the wall clock).
 */
describe('the SNP add-on counter (GET /practitioners/:id/snp-add-ons)', () => {
  let h: Harness;
  let ds: DataSource;
  let gp: Account;
  let practitionerId: string;
  let gpRpps: string;
  let coordinator: Account;
  let secretary: Account;
  let regulator: Account;
  const ids: Record<string, string> = {};

  async function place(bookingId: string, made: string, start: string) {
    await ds.query(`UPDATE slot SET starts_at = $2, ends_at = $2::timestamptz + interval '10 minutes' WHERE id = (SELECT slot_id FROM booking WHERE id = $1)`, [bookingId, paris(start)]);
    await ds.query(`UPDATE booking SET created_at = $2, slot_starts_at = $3 WHERE id = $1`, [bookingId, paris(made), paris(start)]);
  }
  let next = 600;
  const slot = async () => (await h.publish(gp, practitionerId, [(next += 15)], 10))[0].id as string;
  const book = async (who: Account, extra: Record<string, unknown> = {}) =>
    (await h.as(who).post('/bookings').send({ slotId: await slot(), patient: patient(extra) }).expect(201)).body.id as string;
  const attended = (id: string, value = 'attended') => h.as(gp).post(`/bookings/${id}/outcome`).send({ outcome: value }).expect(200);

  beforeAll(async () => {
    h = await Harness.start();
    ds = h.app.get(DataSource);
    const place0 = await isolatedPlace(h);
    const communityId = await h.community(['28088']);
    const practiceId = (await h.practice(communityId, { location: place0 })).id;
    practitionerId = (await h.practitioner(practiceId)).id;
    [{ rpps: gpRpps }] = await ds.query(`SELECT rpps FROM practitioner WHERE id = $1`, [practitionerId]);
    gp = await h.account('gp', { practitionerId });
    coordinator = await h.account('coordinator', { communityId });
    secretary = await h.account('secretary', { practiceId });
    regulator = await h.account('regulator');

    // 21 referred by the regulation, seen the same day, Monday 19 to Sunday 25 October.
    for (let i = 0; i < 21; i++) {
      const id = await book(regulator, { hasReferringGp: true, referringGpRpps: randomRpps() });
      const day = 19 + (i % 7);
      const time = `${String(8 + Math.floor(i / 7)).padStart(2, '0')}:00`;
      await place(id, `2026-10-${day}T07:00`, `2026-10-${day}T${time}`);
      await attended(id);
      ids[`eligible${i}`] = id;
    }
    // And one of each that does not count.
    ids.cancelled = await book(regulator);
    await h.as(regulator).post(`/bookings/${ids.cancelled}/cancel`).send({}).expect(200);
    await place(ids.cancelled, '2026-10-20T07:00', '2026-10-20T12:00');
    ids.noShow = await book(regulator);
    await place(ids.noShow, '2026-10-20T07:00', '2026-10-20T12:30');
    await attended(ids.noShow, 'no_show');
    ids.secretary = await book(secretary);
    await place(ids.secretary, '2026-10-21T07:00', '2026-10-21T12:00');
    await attended(ids.secretary);
    ids.ownPatient = await book(regulator, { hasReferringGp: true, referringGpRpps: gpRpps });
    await place(ids.ownPatient, '2026-10-22T07:00', '2026-10-22T12:00');
    await attended(ids.ownPatient);
    // Friday 23 at noon to Sunday 25 at 11:30 crosses the clock change: 47 h 30 on the wall clock, 48 h 30 real.
    ids.late = await book(regulator);
    await place(ids.late, '2026-10-23T12:00', '2026-10-25T11:30');
    await attended(ids.late);
    // The engine's booking for a request the regulation filed counts as the regulation's.
    const r = (await h.as(regulator).post('/requests').send({ patient: patient({ hasReferringGp: false }), location: place0, maxDistanceKm: 2 }).expect(202)).body.id;
    const free = await slot();
    const matched = await eventually(async () => (await h.as(regulator).get(`/requests/${r}`).expect(200)).body, (x) => x.status === 'matched');
    expect(matched.booking.slot.id).toBe(free);
    ids.matching = matched.booking.id;
    await place(ids.matching, '2026-10-25T18:00', '2026-10-25T20:00');
    await ds.query(`UPDATE snp_request SET created_at = $2 WHERE id = $1`, [r, paris('2026-10-25T17:55')]);
    await attended(ids.matching);
  });
  afterAll(() => h?.close());

  it('pays the first 20 eligible of the week, counts the 21st over the limit, and says why the others do not count', async () => {
    const c = (await h.as(gp).get(`/practitioners/${practitionerId}/snp-add-ons?week=2026-W43`).expect(200)).body;
    expect(c).toMatchObject({ practitionerId, week: '2026-W43', limit: 20, eligible: 22, payable: 20, overLimit: 2 });
    const byId = new Map(c.bookings.map((x: any) => [x.bookingId, x]));
    expect(byId.get(ids.cancelled)).toMatchObject({ eligible: false, reason: 'cancelled' });
    expect(byId.get(ids.noShow)).toMatchObject({ eligible: false, reason: 'not_attended' });
    expect(byId.get(ids.secretary)).toMatchObject({ eligible: false, reason: 'not_regulated' });
    expect(byId.get(ids.ownPatient)).toMatchObject({ eligible: false, reason: 'own_patient' });
    expect(byId.get(ids.late)).toMatchObject({ eligible: false, reason: 'beyond_48h' });
    expect(byId.get(ids.matching)).toMatchObject({ eligible: true });
    // By start: the last two eligible of the week (Sunday evening's) are over the limit.
    const eligible = c.bookings.filter((x: any) => x.eligible);
    expect(eligible.slice(0, 20).every((x: any) => x.payable)).toBe(true);
    expect(eligible.slice(20).map((x: any) => x.payable)).toEqual([false, false]);
    expect(eligible.at(-1).bookingId).toBe(ids.matching);
    expect(c.bookings.map((x: any) => x.start)).toEqual([...c.bookings.map((x: any) => x.start)].sort());
    // The week before: nothing.
    expect((await h.as(gp).get(`/practitioners/${practitionerId}/snp-add-ons?week=2026-W42`).expect(200)).body).toMatchObject({ eligible: 0, payable: 0, overLimit: 0, bookings: [] });
  });

  it('shows a GP their own counter, a coordination its GPs’, and refuses the rest', async () => {
    await h.as(coordinator).get(`/practitioners/${practitionerId}/snp-add-ons?week=2026-W43`).expect(200);
    await h.as(h.admin).get(`/practitioners/${practitionerId}/snp-add-ons?week=2026-W43`).expect(200);
    // This week by default.
    const now = (await h.as(gp).get(`/practitioners/${practitionerId}/snp-add-ons`).expect(200)).body;
    expect(now.week).toBe(DateTime.now().setZone('Europe/Paris').toFormat("kkkk-'W'WW"));
    const otherGp = await h.gpWithAgenda();
    await h.as(otherGp.gp).get(`/practitioners/${practitionerId}/snp-add-ons`).expect(403);
    await h.as(secretary).get(`/practitioners/${practitionerId}/snp-add-ons`).expect(403);
    await h.as(regulator).get(`/practitioners/${practitionerId}/snp-add-ons`).expect(403);
    const elsewhere = await h.account('coordinator');
    await h.as(elsewhere).get(`/practitioners/${practitionerId}/snp-add-ons`).expect(404);
    for (const week of ['2026-W54', '2026-W00', '2026-48', 'semaine']) await h.as(gp).get(`/practitioners/${practitionerId}/snp-add-ons?week=${week}`).expect(400);
    await h.as(gp).get('/practitioners/2026/snp-add-ons').expect(400);
  });

  it('checks the médecin traitant’s RPPS like any RPPS, and refuses it for a patient said to have none', async () => {
    const bad = await h.as(regulator).post('/bookings').send({ slotId: await slot(), patient: patient({ referringGpRpps: '12345678901' }) }).expect(400);
    expect(bad.body.details[0].field).toBe('patient.referringGpRpps');
    const contradiction = await h.as(regulator).post('/bookings').send({ slotId: await slot(), patient: patient({ hasReferringGp: false, referringGpRpps: gpRpps }) }).expect(400);
    expect(contradiction.body.details[0].field).toBe('patient.referringGpRpps');
    const ok = await h.as(regulator).post('/bookings').send({ slotId: await slot(), patient: patient({ hasReferringGp: undefined, referringGpRpps: gpRpps }) }).expect(201);
    expect(ok.body.patient).toMatchObject({ hasReferringGp: true, referringGpRpps: gpRpps });
  });
});
