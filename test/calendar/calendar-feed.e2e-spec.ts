import { DateTime } from 'luxon';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Harness, patient } from '../support/harness';

/**
 * The GP's calendar feed: a secret iCalendar URL their own agenda software reads without other
 * credentials — one event per live booking on their slots from a week back to two weeks ahead, the
 * patient's initials and birth year only, a stable UID; a cancelled booking leaves it; asking for a
 * new URL retires the old one.
 */
describe('the GP’s calendar feed (iCalendar)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h?.close());

  /** GET on the feed's URL, with nothing but the URL. */
  const read = (url: string) => request(h.app.getHttpServer()).get(new URL(url).pathname);
  const events = (ics: string) => ics.split('BEGIN:VEVENT').slice(1);
  /** iCalendar folds long lines (RFC 5545 §3.1): read them unfolded. */
  const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
  const icsInstant = (iso: string) => DateTime.fromISO(iso).toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");

  it('lists the GP’s live bookings with initials and birth year only, and follows cancellations', async () => {
    const { gp, practitionerId, practiceId } = await h.gpWithAgenda();
    const secretary = await h.account('secretary', { practiceId });
    const slots = await h.publish(gp, practitionerId, [60, 120, 180]);
    const book = async (slotId: string, who: Record<string, unknown>) => (await h.as(secretary).post('/bookings').send({ slotId, patient: patient(who) }).expect(201)).body.id as string;
    const marie = await book(slots[0].id, { firstName: 'Marie', lastName: 'Quintard', birthDate: '1948-09-30', phone: '06 11 22 33 44' });
    const paul = await book(slots[1].id, { firstName: 'Paul', lastName: 'Vasseur', birthDate: '2019-04-02' });

    const created = await h.as(gp).post(`/practitioners/${practitionerId}/calendar-feed`).expect(201);
    expect(created.body.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/calendar-feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    const res = await read(created.body.url).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.headers['cache-control']).toBe('no-store');
    const ics = unfold(res.text);
    expect(ics).toMatch(/^BEGIN:VCALENDAR/);
    expect(events(ics)).toHaveLength(2);
    expect(ics).toContain('SUMMARY:SNP – M. Q. (1948)');
    expect(ics).toContain('SUMMARY:SNP – P. V. (2019)');
    expect(ics).toContain(`DTSTART:${icsInstant(slots[0].start)}`);
    expect(ics).toContain(`UID:${marie}@`);
    expect(ics).toMatch(new RegExp(`/rendez-vous/${paul}`));
    // Nothing more of the patient: no name, no phone, no birth date.
    for (const secret of ['Quintard', 'Marie', 'Vasseur', '0611223344', '+33611223344', '1948-09-30', '30/09/1948']) expect(ics).not.toContain(secret);

    // The same UID on every read; a cancelled booking leaves the feed.
    await h.as(secretary).post(`/bookings/${paul}/cancel`).send({}).expect(200);
    const after = unfold((await read(created.body.url).expect(200)).text);
    expect(events(after)).toHaveLength(1);
    expect(after).toContain(`UID:${marie}@`);
  });

  it('shows a week back and two weeks ahead, no more', async () => {
    const { gp, practitionerId, practiceId } = await h.gpWithAgenda();
    const secretary = await h.account('secretary', { practiceId });
    const ds = h.app.get(DataSource);
    const slots = await h.publish(gp, practitionerId, [60, 90, 120]);
    const ids: string[] = [];
    for (const s of slots) ids.push((await h.as(secretary).post('/bookings').send({ slotId: s.id, patient: patient() }).expect(201)).body.id);
    const move = async (id: string, days: number) => {
      const at = DateTime.now().plus({ days }).toJSDate();
      await ds.query(`UPDATE slot SET starts_at = $2, ends_at = $2::timestamptz + interval '15 minutes' WHERE id = (SELECT slot_id FROM booking WHERE id = $1)`, [id, at]);
      await ds.query(`UPDATE booking SET slot_starts_at = $2 WHERE id = $1`, [id, at]);
    };
    await move(ids[0], -3);
    await move(ids[1], -10);
    await move(ids[2], 20);
    const { url } = (await h.as(gp).post(`/practitioners/${practitionerId}/calendar-feed`).expect(201)).body;
    const ics = unfold((await read(url).expect(200)).text);
    expect(ics).toContain(`UID:${ids[0]}@`);
    expect(ics).not.toContain(`UID:${ids[1]}@`);
    expect(ics).not.toContain(`UID:${ids[2]}@`);
  });

  it('retires the old URL when a new one is asked for, and lets only the GP and their practice ask', async () => {
    const { gp, practitionerId, practiceId } = await h.gpWithAgenda();
    const first = (await h.as(gp).post(`/practitioners/${practitionerId}/calendar-feed`).expect(201)).body.url;
    await read(first).expect(200);
    const secretary = await h.account('secretary', { practiceId });
    const second = (await h.as(secretary).post(`/practitioners/${practitionerId}/calendar-feed`).expect(201)).body.url;
    expect(second).not.toBe(first);
    await read(first).expect(404);
    await read(second).expect(200);
    await read(second.replace(/[A-Za-z0-9_-]{43}\.ics$/, 'pas-un-jeton.ics')).expect(404);

    const other = await h.gpWithAgenda();
    await h.as(other.gp).post(`/practitioners/${practitionerId}/calendar-feed`).expect(403);
    const otherSecretary = await h.account('secretary', { practiceId: (await h.practice(other.communityId)).id });
    await h.as(otherSecretary).post(`/practitioners/${practitionerId}/calendar-feed`).expect(404);
    await h.as(await h.account('regulator')).post(`/practitioners/${practitionerId}/calendar-feed`).expect(403);
    await h.as(await h.account('coordinator')).post(`/practitioners/${practitionerId}/calendar-feed`).expect(403);
  });
});
