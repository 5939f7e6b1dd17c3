import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { bucketOrigin } from '../../src/slots/availability';
import { Account, Harness, inMinutes, isolatedPlace, patient } from '../support/harness';

/**
 * The regulation centre's view: how many slots are free around a place, hour by hour and commune
 * by commune, and how it moves when someone books.
 */
describe('GET /availability', () => {
  let h: Harness;
  let regulator: Account;
  let place: { lat: number; lon: number };
  let practiceId: string;
  const gps: Array<{ id: string; gp: Account }> = [];

  beforeAll(async () => {
    h = await Harness.start();
    place = await isolatedPlace(h);
    const communityId = await h.community();
    practiceId = (await h.practice(communityId, { location: place })).id;
    for (let i = 0; i < 2; i++) {
      const id = (await h.practitioner(practiceId)).id;
      gps.push({ id, gp: await h.account('gp', { practitionerId: id }) });
    }
    regulator = await h.account('regulator');
  });
  afterAll(() => h.close());

  const around = async (query = '') => (await h.as(regulator).get(`/availability?lat=${place.lat}&lon=${place.lon}&radiusKm=5${query}`).expect(200)).body;
  const total = (a: { buckets: Array<{ freeSlots: number }> }) => a.buckets.reduce((n, b) => n + b.freeSlots, 0);

  it('counts free slots per Paris-aligned hour and per commune, and drops one when it is booked', async () => {
    const [a] = await h.publish(gps[0].gp, gps[0].id, [90, 105]);
    await h.publish(gps[1].gp, gps[1].id, [90, 240]);

    const before = await around();
    expect(total(before)).toBe(4);
    // 24 hours from now: 24 hourly buckets, 25 when now is not on the hour (a partial one at each end).
    expect(before.buckets.length).toBeGreaterThanOrEqual(24);
    expect(before.buckets.length).toBeLessThanOrEqual(25);
    for (const b of before.buckets) expect(DateTime.fromISO(b.start, { zone: 'Europe/Paris' }).minute).toBe(0);
    const busiest = before.buckets.find((b: any) => b.freeSlots === 3 || b.freeSlots === 2);
    expect(busiest.practitioners).toBe(2); // 90 min ahead: both GPs
    const [commune] = before.byCommune;
    expect(before.byCommune).toHaveLength(1);
    expect(commune).toMatchObject({ communeCode: '28088', name: 'Châteaudun', freeSlots: 4, distanceKm: 0 });
    // The first free start of the commune: the earliest published (90 minutes ahead).
    expect(commune.nextStart).toBe(new Date(a.start).toISOString());

    await h.as(regulator).post('/bookings').send({ slotId: a.id, patient: patient() }).expect(201);
    const after = await around();
    expect(total(after)).toBe(3);
    expect(after.byCommune[0].freeSlots).toBe(3);
  });

  it('takes a commune instead of coordinates, and a window with buckets of 30 minutes', async () => {
    const res = await h.as(regulator).get(`/availability?communeCode=28088&radiusKm=1&from=${encodeURIComponent(inMinutes(0))}&to=${encodeURIComponent(inMinutes(180))}&bucketMinutes=30`).expect(200);
    expect(res.body.buckets.length).toBeGreaterThanOrEqual(6);
    expect(res.body.buckets.length).toBeLessThanOrEqual(7);
    expect(res.body).toHaveProperty('byCommune');
  });

  it('aligns buckets on Paris hours across the spring DST change', async () => {
    // Sunday 28 March 2027: 02:00 → 03:00 in Paris. A slot at 01:30 UTC is 03:30 Paris time.
    await h.app.get(DataSource).query(
      `INSERT INTO slot (practitioner_id, practice_id, starts_at, ends_at, modality) VALUES ($1, $2, '2027-03-28T01:30:00Z', '2027-03-28T01:45:00Z', 'in_person')`,
      [gps[0].id, practiceId],
    );
    const res = await around(`&from=2027-03-27T23:00:00Z&to=2027-03-28T05:00:00Z`);
    expect(res.buckets.map((b: any) => b.start)).toEqual([
      '2027-03-27T23:00:00.000Z', '2027-03-28T00:00:00.000Z', '2027-03-28T01:00:00.000Z', '2027-03-28T02:00:00.000Z', '2027-03-28T03:00:00.000Z', '2027-03-28T04:00:00.000Z',
    ]);
    expect(res.buckets.map((b: any) => b.freeSlots)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(bucketOrigin(new Date('2027-03-28T01:10:00Z'), 60).toISOString()).toBe('2027-03-28T01:00:00.000Z');
    // On the 25-hour autumn day buckets count elapsed time from Paris midnight (22:00 UTC the day
    // before): 01:10 UTC is 190 minutes in, so its 2-hour bucket starts 120 minutes in.
    expect(bucketOrigin(new Date('2027-10-31T01:10:00Z'), 120).toISOString()).toBe('2027-10-31T00:00:00.000Z');
  });

  it('is for the regulation and the coordination, and says what to fix', async () => {
    const secretary = await h.account('secretary', { practiceId });
    await h.as(secretary).get(`/availability?communeCode=28088`).expect(403);
    const bad = await h.as(regulator).get('/availability?communeCode=28088&bucketMinutes=7').expect(400);
    expect(JSON.stringify(bad.body)).toContain('bucketMinutes doit être');
    const backwards = await h.as(regulator).get(`/availability?communeCode=28088&from=2027-01-02T10:00:00Z&to=2027-01-01T10:00:00Z`).expect(400);
    expect(backwards.body.message).toContain('to doit être après from');
    const tooLong = await h.as(regulator).get(`/availability?communeCode=28088&from=2027-01-01T10:00:00Z&to=2027-01-09T10:00:00Z`).expect(400);
    expect(tooLong.body.message).toContain('7 jours');
    await h.as(regulator).get('/availability').expect(400);
    await h.as(regulator).get('/availability?communeCode=75056').expect(422);
  });
});
