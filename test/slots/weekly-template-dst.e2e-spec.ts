import { DateTime } from 'luxon';
import { SlotsService } from '../../src/slots/slots.service';
import { Account, Harness } from '../support/harness';

/**
 * A GP opens "Mon–Sun 08:30–09:30, 15 min" as a weekly template. The week of the last Sunday of
 * March 2027 (clocks go forward on the 28th) must keep 08:30 Paris time every morning.
 */
describe('a weekly template across the change to summer time', () => {
  let h: Harness;
  let gp: Account;
  let practitionerId: string;

  beforeAll(async () => {
    h = await Harness.start();
    ({ practitionerId, gp } = await h.gpWithAgenda());
  });

  afterAll(() => h.close());

  it('creates the coming days’ slots at once, and is idempotent', async () => {
    const today = DateTime.now().setZone('Europe/Paris').toISODate()!;
    const res = await h
      .as(gp)
      .post('/slot-templates')
      .send({ practitionerId, weekdays: [1, 2, 3, 4, 5, 6, 7], startTime: '08:30', endTime: '09:30', slotMinutes: 15, validFrom: today })
      .expect(201);
    // Today's 08:30 may already be past; the six following mornings are all there.
    expect(res.body.generated).toBeGreaterThanOrEqual(6 * 4);
    expect(await h.app.get(SlotsService).expandTemplates(res.body.template.id)).toBe(0);
  });

  it('keeps 08:30 local time on the last Sunday of March and after', async () => {
    await h
      .as(gp)
      .post('/slot-templates')
      .send({ practitionerId, weekdays: [1, 2, 3, 4, 5, 6, 7], startTime: '08:30', endTime: '09:30', slotMinutes: 15, validFrom: '2027-03-26', validUntil: '2027-03-30' })
      .expect(201);
    // The nightly job of 26 March 2027, run now: the horizon covers the 26th to the 1st of April.
    await h.app.get(SlotsService).expandTemplates(undefined, '2027-03-26');

    const res = await h.as(gp).get(`/slots?practitionerId=${practitionerId}&from=2027-03-26T00:00:00%2B01:00&to=2027-03-31T00:00:00%2B02:00`).expect(200);
    const firstOfDay = new Map<string, string>();
    for (const s of res.body.slots) {
      const local = DateTime.fromISO(s.start).setZone('Europe/Paris');
      if (!firstOfDay.has(local.toISODate()!)) firstOfDay.set(local.toISODate()!, s.start);
    }
    expect(Object.fromEntries(firstOfDay)).toEqual({
      '2027-03-26': '2027-03-26T07:30:00.000Z',
      '2027-03-27': '2027-03-27T07:30:00.000Z',
      '2027-03-28': '2027-03-28T06:30:00.000Z',
      '2027-03-29': '2027-03-29T06:30:00.000Z',
      '2027-03-30': '2027-03-30T06:30:00.000Z',
    });
    expect(res.body.slots).toHaveLength(5 * 4);
  });
});
