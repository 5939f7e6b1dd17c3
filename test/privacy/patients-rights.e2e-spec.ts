import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { MAINTENANCE_QUEUE } from '../../src/maintenance/maintenance.queue';
import { MaintenanceScheduler } from '../../src/maintenance/maintenance.scheduler';
import { MatchingService } from '../../src/matching/matching.service';
import { eventually, Harness, patient } from '../support/harness';

/**
 * A patient asks the CPTS what it holds on them, then to be forgotten; and what nobody asks for
 * goes anyway, PATIENT_DATA_RETENTION_DAYS after the consultation. The coordination's figures (what
 * /indicators will count: statuses, channels, dates, commune, médecin traitant) do not move.
 */
describe('patients’ rights and retention', () => {
  let h: Harness;
  let ds: DataSource;
  beforeAll(async () => {
    // A queue of its own: the retention job of the day runs once per queue.
    h = await Harness.start({ QUEUE_PREFIX: `snp-test-retention-${randomUUID().slice(0, 8)}` });
    ds = h.app.get(DataSource);
  });
  afterAll(() => h?.close());

  /** A CPTS with a GP publishing, a secretary booking and filing, and its coordinator. */
  async function cpts() {
    const { gp, practitionerId, communityId } = await h.gpWithAgenda();
    const secretary = await h.account('secretary', { practiceId: (await h.practice(communityId)).id });
    const coordinator = await h.account('coordinator', { communityId });
    const book = async (who: Record<string, unknown>, minutesAhead: number) => {
      const [slot] = await h.publish(gp, practitionerId, [minutesAhead]);
      return (await h.as(secretary).post('/bookings').send({ slotId: slot.id, patient: who, reason: 'fièvre' }).expect(201)).body;
    };
    const file = async (who: Record<string, unknown>) =>
      (await h.as(secretary).post('/requests').send({ patient: who, location: { lat: 43.1, lon: 5.9 }, maxDistanceKm: 1 }).expect(202)).body;
    return { communityId, secretary, coordinator, book, file };
  }

  /** What the coordination's figures count, for one community: it must not change when identities go. */
  const figures = (communityId: string) =>
    ds.query(
      `SELECT b.status, b.channel, b.patient_has_referring_gp, b.patient_commune_code, b.created_at, s.starts_at, count(*)::int AS n
         FROM booking b JOIN slot s ON s.id = b.slot_id JOIN practice p ON p.id = s.practice_id WHERE p.community_id = $1
        GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 5, 6`,
      [communityId],
    );

  it('shows a coordinator everything held on a patient in their CPTS, and erases it; other patients and CPTS keep theirs', async () => {
    const a = await cpts();
    const b = await cpts();
    // 06 12…: an allocated mobile range (some 06 ranges are not, and would be refused as invalid).
    const phone = `06 12 ${String(Math.floor(Math.random() * 1e6)).padStart(6, '0').replace(/(\d\d)(?=\d)/g, '$1 ')}`;
    const marie = patient({ firstName: 'Marie', lastName: 'Quintard', birthDate: '1948-09-30', phone, hasReferringGp: false });
    const twin = patient({ firstName: 'Paul', lastName: 'Quintard', birthDate: '1950-01-01', phone });
    const first = await a.book(marie, 60);
    const second = await a.book(marie, 90);
    const other = await a.book(twin, 120);
    const filed = await a.file(marie);
    const elsewhere = await b.book(marie, 60);

    const found = await h.as(a.coordinator).post('/patients/lookup').send({ phone, birthDate: '1948-09-30' }).expect(200);
    expect(found.body.bookings.map((x: any) => x.id).sort()).toEqual([first.id, second.id].sort());
    expect(found.body.bookings[0].patient).toMatchObject({ firstName: 'Marie', lastName: 'Quintard', birthDate: '1948-09-30' });
    expect(found.body.requests.map((x: any) => x.id)).toEqual([filed.id]);
    const [looked] = await ds.query(`SELECT action, entity, entity_ids FROM audit_event WHERE actor_user_id = $1 AND entity = 'patient' ORDER BY id DESC LIMIT 1`, [a.coordinator.id]);
    expect(looked).toMatchObject({ action: 'read', entity: 'patient' });
    expect(looked.entity_ids.sort()).toEqual([first.id, second.id, filed.id].sort());

    const before = await figures(a.communityId);
    const erased = await h.as(a.coordinator).post('/patients/erase').send({ phone, birthDate: '1948-09-30' }).expect(200);
    expect(erased.body).toEqual({ bookings: 2, requests: 1, notifications: expect.any(Number) });
    expect(erased.body.notifications).toBeGreaterThanOrEqual(2);
    expect(await figures(a.communityId)).toEqual(before);

    // Nothing left to find; what remains says it was anonymised, with no identity.
    const after = await h.as(a.coordinator).post('/patients/lookup').send({ phone, birthDate: '1948-09-30' }).expect(200);
    expect(after.body).toEqual({ bookings: [], requests: [] });
    const kept = await h.as(a.secretary).get(`/bookings/${first.id}`).expect(200);
    expect(kept.body.patient).toEqual({ anonymised: true, anonymisedAt: expect.any(String), communeCode: '28088', hasReferringGp: false });
    expect(kept.body.reason).toBeUndefined();
    const messages = (await h.as(a.coordinator).get(`/notifications?bookingId=${first.id}`).expect(200)).body.notifications;
    expect(messages.find((m: any) => m.template === 'booking_confirmed_patient').to).toBeUndefined();
    const [row] = await ds.query(`SELECT patient_first_name, patient_last_name, patient_birth_date, patient_phone, reason, request_hash FROM booking WHERE id = $1`, [second.id]);
    expect(Object.values(row).every((v) => v === null)).toBe(true);

    // The other patient on the same phone, and the same patient in the other CPTS, are untouched.
    expect((await h.as(a.secretary).get(`/bookings/${other.id}`).expect(200)).body.patient.firstName).toBe('Paul');
    expect((await h.as(b.coordinator).post('/patients/lookup').send({ phone, birthDate: '1948-09-30' }).expect(200)).body.bookings.map((x: any) => x.id)).toEqual([elsewhere.id]);
    // The request still waiting keeps its status (the figures do not move), but nobody is booked for an erased patient.
    const [waiting] = await ds.query(`SELECT status, anonymised_at IS NOT NULL AS gone FROM snp_request WHERE id = $1`, [filed.id]);
    expect(waiting).toEqual({ status: 'pending', gone: true });
    const nearby = (await h.practice(a.communityId, { location: { lat: 43.1, lon: 5.9 } })).id;
    const doctor = (await h.practitioner(nearby)).id;
    const doctorAccount = await h.account('gp', { practitionerId: doctor });
    const [slot] = await h.publish(doctorAccount, doctor, [120]);
    expect(await h.app.get(MatchingService).attempt(filed.id)).toBe('not_pending');
    expect((await ds.query(`SELECT status FROM slot WHERE id = $1`, [slot.id]))[0].status).toBe('free');
    // Withdrawn again: the next story files requests there.
    await h.as(doctorAccount).delete(`/slots/${slot.id}`).expect(204);

    const events = await ds.query(`SELECT action, entity_ids FROM audit_event WHERE actor_user_id = $1 AND entity = 'patient' ORDER BY id`, [a.coordinator.id]);
    expect(events.map((e: any) => e.action)).toEqual(['read', 'erase', 'read']);
    expect(events[1].entity_ids.sort()).toEqual([first.id, second.id, filed.id].sort());
  });

  it('is for the coordination and the admins only, and checks what it is given', async () => {
    const a = await cpts();
    await h.as(a.secretary).post('/patients/lookup').send({ phone: '06 12 34 56 78', birthDate: '1990-05-17' }).expect(403);
    await h.as(a.secretary).post('/patients/erase').send({ phone: '06 12 34 56 78', birthDate: '1990-05-17' }).expect(403);
    const bad = await h.as(a.coordinator).post('/patients/erase').send({ phone: 'pas un numéro', birthDate: '1990-02-30' }).expect(400);
    expect(bad.body.details.map((d: any) => d.field).sort()).toEqual(['birthDate', 'phone']);
  });

  it('anonymises, in the nightly job, exactly the patients past PATIENT_DATA_RETENTION_DAYS, the figures unchanged', async () => {
    const a = await cpts();
    const old = await a.book(patient({ firstName: 'Ancien' }), 60);
    const recent = await a.book(patient({ firstName: 'Recent' }), 90);
    const future = await a.book(patient({ firstName: 'Futur' }), 120);
    const oldRequest = await a.file(patient({ firstName: 'Demande' }));
    // A consultation 100 days ago and one 80 days ago (the default retention is 90 days).
    const move = (bookingId: string, days: number) =>
      ds.query(`UPDATE slot SET starts_at = starts_at - $2 * interval '1 day', ends_at = ends_at - $2 * interval '1 day' WHERE id = (SELECT slot_id FROM booking WHERE id = $1)`, [bookingId, days]);
    await move(old.id, 100);
    await move(recent.id, 80);
    await ds.query(`UPDATE snp_request SET status = 'unmatched', not_before = now() - interval '101 days', not_after = now() - interval '100 days' WHERE id = $1`, [oldRequest.id]);
    const before = await figures(a.communityId);

    // The cron only enqueues; a worker runs the job.
    await h.app.get(MaintenanceScheduler).retention();
    const queue = h.app.get<Queue>(getQueueToken(MAINTENANCE_QUEUE));
    await eventually(async () => (await queue.getJobs(['completed'])).filter((j) => j.name === 'retention').length, (n) => n === 1, 15_000);

    const status = async (id: string) => (await ds.query(`SELECT anonymised_at IS NOT NULL AS gone, patient_first_name FROM booking WHERE id = $1`, [id]))[0];
    expect(await status(old.id)).toEqual({ gone: true, patient_first_name: null });
    expect(await status(recent.id)).toEqual({ gone: false, patient_first_name: 'Recent' });
    expect(await status(future.id)).toEqual({ gone: false, patient_first_name: 'Futur' });
    const [request] = await ds.query(`SELECT anonymised_at IS NOT NULL AS gone, patient_phone FROM snp_request WHERE id = $1`, [oldRequest.id]);
    expect(request).toEqual({ gone: true, patient_phone: null });
    expect(await figures(a.communityId)).toEqual(before);
  });
});


