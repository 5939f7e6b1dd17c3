import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { MatchingService } from '../../src/matching/matching.service';
import { NOTIFICATIONS_QUEUE } from '../../src/notifications/notifications.queue';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { smsSegments } from '../../src/notifications/sms-segments';
import { Account, eventually, Harness, patient, remotePlace } from '../support/harness';
import { SmsSink, SmtpSink } from '../support/message-sinks';
import { testConfig } from '../support/test-config';

const ATTEMPTS = 4;
const LEAD_SECONDS = 3600;

/** A French mobile number no other story uses, as typed and in E.164. */
function mobile(): { typed: string; e164: string } {
  const digits = `12${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  return { typed: `06 ${digits.replace(/(\d\d)(?=\d)/g, '$1 ')}`, e164: `+336${digits}` };
}

/**
 * Who hears about a booking, and when: the patient by SMS (through a real local HTTP sink standing
 * for the SMS provider), the receiving GP by e-mail (through a real local SMTP server), retried
 * until the provider takes them, told once.
 */
describe('notifications: patient and GP told by SMS and e-mail', () => {
  let h: Harness;
  let sms: SmsSink;
  let smtp: SmtpSink;
  let ds: DataSource;
  let secretary: Account;
  let gp: Account;
  let practitionerId: string;
  let practiceId: string;
  let coordinator: Account;

  beforeAll(async () => {
    sms = await SmsSink.start();
    smtp = await SmtpSink.start();
    h = await Harness.start({
      SMS_WEBHOOK_URL: sms.url, SMS_WEBHOOK_TOKEN: 'jeton-de-test', SMTP_URL: smtp.url,
      NOTIFY_ATTEMPTS: ATTEMPTS, NOTIFY_BACKOFF_MS: 100, NOTIFY_REMINDER_LEAD_SECONDS: LEAD_SECONDS,
      // A queue of its own: jobs other stories left (reminders) do not reach this story's sinks.
      QUEUE_PREFIX: 'snp-test:notify',
    });
    ds = h.app.get(DataSource);
    const communityId = await h.community();
    practiceId = (await h.practice(communityId, { location: remotePlace(), phone: '02 37 45 12 34', address: '4 rue des Lilas, 28200 Châteaudun' })).id;
    practitionerId = (await h.practitioner(practiceId, { firstName: 'Claire', lastName: 'Dubois' })).id;
    gp = await h.account('gp', { practitionerId });
    secretary = await h.account('secretary', { practiceId: (await h.practice(communityId)).id });
    coordinator = await h.account('coordinator', { communityId });
  });

  afterAll(async () => {
    await h.close();
    await sms.close();
    await smtp.close();
  });

  /** A slot at an exact instant (SQL, as a template would create it), for days and times a test needs. */
  async function slotAt(start: DateTime, minutes = 15): Promise<string> {
    const [{ id }] = await ds.query(
      `INSERT INTO slot (practitioner_id, practice_id, starts_at, ends_at, modality) VALUES ($1, $2, $3, $4, 'in_person') RETURNING id`,
      [practitionerId, practiceId, start.toJSDate(), start.plus({ minutes }).toJSDate()],
    );
    return id;
  }

  async function book(slotId: string, phone: string, over: Record<string, unknown> = {}) {
    const res = await h.as(secretary).post('/bookings').send({ slotId, patient: patient({ phone, firstName: 'Inès', lastName: 'Lefèvre' }), ...over });
    if (res.status !== 201) throw new Error(`booking refused: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  }

  const listFor = async (bookingId: string) =>
    (await h.as(coordinator).get(`/notifications?bookingId=${bookingId}`).expect(200)).body.notifications as Array<Record<string, any>>;
  const byTemplate = (rows: Array<Record<string, any>>, template: string) => rows.find((r) => r.template === template)!;

  it('tells the patient the Paris time of a slot on each DST day, and the GP by e-mail', async () => {
    // Last Sunday of March 2027: 01:30 UTC is 03:30 in Paris (clocks went 02:00 → 03:00).
    // Last Sunday of October 2027: 01:30 UTC is 02:30 in Paris (clocks went back 03:00 → 02:00).
    const spring = mobile();
    const autumn = mobile();
    const springBooking = await book(await slotAt(DateTime.fromISO('2027-03-28T01:30:00Z')), spring.typed);
    const autumnBooking = await book(await slotAt(DateTime.fromISO('2027-10-31T01:30:00Z')), autumn.typed);

    const [springSms] = await eventually(async () => sms.to(spring.e164), (m) => m.length === 1);
    const [autumnSms] = await eventually(async () => sms.to(autumn.e164), (m) => m.length === 1);
    expect(springSms.text).toContain('28/03 à 03h30');
    expect(springSms.text).toContain('Dubois'.toUpperCase());
    expect(springSms.text).toContain('02 37 45 12 34'); // how to cancel: call the practice
    expect(autumnSms.text).toContain('31/10 à 02h30');
    expect(springSms.authorization).toBe('Bearer jeton-de-test');
    expect(smsSegments(springSms.text)).toMatchObject({ encoding: 'GSM-7' });
    expect(smsSegments(springSms.text).segments).toBeLessThanOrEqual(2);

    const mails = await eventually(async () => smtp.to(gp.email), (m) => m.length === 2);
    expect(mails.map((m) => m.text).join('\n')).toContain('03h30');
    expect(mails.map((m) => m.text).join('\n')).toContain('LEFÈVRE');

    const rows = await eventually(() => listFor(springBooking.id), (rs) => rs.filter((r) => r.status === 'sent').length === 2);
    expect(byTemplate(rows, 'booking_confirmed_patient')).toMatchObject({ channel: 'sms', to: spring.e164, status: 'sent', attempts: 1 });
    expect(byTemplate(rows, 'booking_confirmed_practice')).toMatchObject({ channel: 'email', to: gp.email, status: 'sent', attempts: 1 });
    // The reminder is written when it comes due, not months ahead.
    expect(rows.map((r) => r.template).sort()).toEqual(['booking_confirmed_patient', 'booking_confirmed_practice']);
    expect(springSms.idempotencyKey).toBe(byTemplate(rows, 'booking_confirmed_patient').id);
    expect(await listFor(autumnBooking.id)).toHaveLength(2);
  });

  it('keeps the reason for the GP: the patient SMS carries neither reason nor birth date', async () => {
    const phone = mobile();
    await book(await slotAt(DateTime.now().plus({ hours: 5 }).startOf('minute')), phone.typed, { reason: 'douleur thoracique' });
    const [m] = await eventually(async () => sms.to(phone.e164), (ms) => ms.length === 1);
    expect(m.text).not.toMatch(/douleur|thoracique/i);
    expect(m.text).not.toContain('1990');
  });

  it('retries a provider that refuses twice: sent at the third attempt, once', async () => {
    const phone = mobile();
    sms.failNext(phone.e164, 2);
    const booking = await book(await slotAt(DateTime.now().plus({ hours: 6 }).startOf('minute')), phone.typed);
    const rows = await eventually(() => listFor(booking.id), (rs) => byTemplate(rs, 'booking_confirmed_patient').status === 'sent');
    expect(byTemplate(rows, 'booking_confirmed_patient')).toMatchObject({ status: 'sent', attempts: 3 });
    expect(sms.refused.filter((m) => m.to === phone.e164)).toHaveLength(2);
    expect(sms.to(phone.e164)).toHaveLength(1);
  });

  it('marks a message the provider always refuses failed, visible, without holding back the others', async () => {
    const doomed = mobile();
    const fine = mobile();
    sms.failNext(doomed.e164, Infinity);
    const lost = await book(await slotAt(DateTime.now().plus({ hours: 7 }).startOf('minute')), doomed.typed);
    const ok = await book(await slotAt(DateTime.now().plus({ hours: 8 }).startOf('minute')), fine.typed);

    await eventually(async () => sms.to(fine.e164), (m) => m.length === 1);
    const rows = await eventually(() => listFor(lost.id), (rs) => byTemplate(rs, 'booking_confirmed_patient').status === 'failed');
    expect(byTemplate(rows, 'booking_confirmed_patient')).toMatchObject({ status: 'failed', attempts: ATTEMPTS, error: expect.stringContaining('503') });
    expect(sms.refused.filter((m) => m.to === doomed.e164)).toHaveLength(ATTEMPTS);
    expect(byTemplate(await listFor(ok.id), 'booking_confirmed_patient')).toMatchObject({ status: 'sent', attempts: 1 });

    const failed = (await h.as(coordinator).get('/notifications?status=failed').expect(200)).body.notifications;
    expect(failed.map((n: any) => n.bookingId)).toContain(lost.id);
    expect(failed.every((n: any) => n.status === 'failed')).toBe(true);
  });

  it('tells both sides of a cancellation, and withdraws the reminder', async () => {
    const phone = mobile();
    // A slot 2½ minutes beyond the reminder's lead: the minute's run writes its reminder, due then.
    const start = DateTime.now().plus({ seconds: LEAD_SECONDS + 150 }).startOf('second');
    const booking = await book(await slotAt(start, 1), phone.typed);
    await eventually(async () => sms.to(phone.e164), (m) => m.length === 1);
    await h.app.get(NotificationsService).reconcile(); // or the minute's run, if it came first
    expect(byTemplate(await listFor(booking.id), 'booking_reminder_patient')).toMatchObject({ status: 'queued' });

    await h.as(secretary).post(`/bookings/${booking.id}/cancel`).send({ reason: 'patiente rétablie' }).expect(200);
    const [, cancelled] = await eventually(async () => sms.to(phone.e164), (m) => m.length === 2);
    expect(cancelled.text).toMatch(/annul/i);
    expect(cancelled.text).not.toContain('rétablie');
    const at = start.setZone('Europe/Paris').toFormat("HH'h'mm");
    const toGp = await eventually(async () => smtp.to(gp.email).filter((m) => m.text.includes(at)), (m) => m.length === 2);
    expect(toGp.filter((m) => /annul/i.test(m.text))).toHaveLength(1);

    const rows = await eventually(() => listFor(booking.id), (rs) => rs.filter((r) => r.status === 'sent').length === 4);
    expect(byTemplate(rows, 'booking_reminder_patient').status).toBe('cancelled');
    expect(byTemplate(rows, 'booking_cancelled_practice')).toMatchObject({ status: 'sent', to: gp.email });
  });

  it('sends the reminder one lead time before the slot', async () => {
    const phone = mobile();
    // The slot starts 3 s after the lead time from now: the reminder is due in about 3 s.
    const start = DateTime.now().plus({ seconds: LEAD_SECONDS + 3 });
    const booking = await book(await slotAt(start, 1), phone.typed);
    await h.app.get(NotificationsService).reconcile(); // the minute's run, now rather than within the minute
    const [reminderRow] = (await listFor(booking.id)).filter((r) => r.template === 'booking_reminder_patient');
    expect(new Date(reminderRow.sendAt).getTime()).toBe(start.minus({ seconds: LEAD_SECONDS }).toMillis());
    const [confirmed, reminder] = await eventually(async () => sms.to(phone.e164), (m) => m.length === 2, 15_000);
    expect(confirmed.text).toMatch(/confirm/i);
    expect(reminder.text).toContain(start.setZone('Europe/Paris').toFormat("HH'h'mm"));
    expect(reminder.text).toMatch(/rappel/i);
  });

  it('sends no SMS to a landline, and still tells the GP', async () => {
    const booking = await book(await slotAt(DateTime.now().plus({ hours: 9 }).startOf('minute')), '02 37 44 55 66');
    const rows = await eventually(() => listFor(booking.id), (rs) => rs.some((r) => r.status === 'sent'));
    expect(rows.map((r) => r.template).sort()).toEqual(['booking_confirmed_practice']);
  });

  it('writes no reminder for a slot already closer than the lead when booked', async () => {
    const phone = mobile();
    const booking = await book(await slotAt(DateTime.now().plus({ seconds: LEAD_SECONDS - 120 }), 1), phone.typed);
    await eventually(async () => sms.to(phone.e164), (m) => m.length === 1);
    await h.app.get(NotificationsService).reconcile();
    expect((await listFor(booking.id)).map((r) => r.template).sort()).toEqual(['booking_confirmed_patient', 'booking_confirmed_practice']);
  });

  it('knows which numbers an SMS can reach, overseas included', async () => {
    const numbers = {
      '+33612345678': true, '+33712345678': true, '+262692123456': true, '+262639123456': true, '+590690123456': true,
      '+596696123456': true, '+594694123456': true, '+687751234': true, '+32470123456': true,
      '+33237451234': false, '+33912345678': false, '+33800123456': false, '+262262123456': false, '+590590123456': false, '+687251234': false,
    };
    const rows: Array<{ phone: string; ok: boolean }> = await ds.query(`SELECT phone, sms_reachable(phone) AS ok FROM unnest($1::text[]) AS phone`, [Object.keys(numbers)]);
    expect(Object.fromEntries(rows.map((r) => [r.phone, r.ok]))).toEqual(numbers);
  });

  it('refuses a phone number that is not one at booking time (400), before any SMS', async () => {
    const slotId = await slotAt(DateTime.now().plus({ hours: 10 }).startOf('minute'));
    const res = await h.as(secretary).post('/bookings').send({ slotId, patient: patient({ phone: '06 12 34' }) }).expect(400);
    expect(JSON.stringify(res.body)).toMatch(/téléphone/i);
  });

  it('tells the matching engine’s patient, and the secretary whose request found no slot', async () => {
    const place = (await ds.query(`SELECT lat, lon FROM practice WHERE id = $1`, [practiceId]))[0];
    const matchedPhone = mobile();
    await slotAt(DateTime.now().plus({ minutes: 90 }).startOf('minute'));
    const filed = await h.as(secretary).post('/requests').send({ patient: patient({ phone: matchedPhone.typed, hasReferringGp: true }), location: place, maxDistanceKm: 3 }).expect(202);
    await eventually(async () => (await h.as(secretary).get(`/requests/${filed.body.id}`)).body.status, (s) => s === 'matched');
    const [m] = await eventually(async () => sms.to(matchedPhone.e164), (ms) => ms.length === 1);
    expect(m.text).toMatch(/confirm/i);

    // Nobody can take this one (too far from any slot); its escalation time comes.
    const far = await h
      .as(secretary)
      .post('/requests')
      .send({ patient: patient({ phone: mobile().typed, firstName: 'Jules', lastName: 'Perrin' }), location: remotePlace(), maxDistanceKm: 1 });
    expect([far.status, far.body]).toEqual([202, expect.anything()]);
    // Its first attempt done (filing does not wait for it): made due before, that attempt escalates it itself.
    await eventually(async () => (await ds.query(`SELECT attempts FROM snp_request WHERE id = $1`, [far.body.id]))[0].attempts, (n) => n >= 1);
    await ds.query(`UPDATE snp_request SET escalate_at = now() WHERE id = $1`, [far.body.id]);
    expect(await h.app.get(MatchingService).escalate(far.body.id)).toBe(true);
    const mails = await eventually(async () => smtp.to(secretary.email), (ms) => ms.length === 1);
    expect(mails[0].text).toContain('PERRIN');
    expect(mails[0].text).toContain(far.body.id);
    const rows = (await h.as(coordinator).get(`/notifications?requestId=${far.body.id}`).expect(200)).body.notifications;
    expect(rows).toEqual([expect.objectContaining({ template: 'request_unmatched_originator', channel: 'email', to: secretary.email })]);
  });

  it('is for the coordination, and says what to fix in a bad query', async () => {
    const res = await h.as(secretary).get('/notifications').expect(403);
    expect(res.body.message).toMatch(/coordinator/);
    const bad = await h.as(coordinator).get('/notifications?status=lost&bookingId=12').expect(400);
    expect(JSON.stringify(bad.body)).toContain('status doit être');
    expect(JSON.stringify(bad.body)).toContain('bookingId doit être');
  });
});

/** A job run twice (or by two workers at once) sends once. */
describe('a notification job run several times at once', () => {
  let h: Harness;
  let sms: SmsSink;

  beforeAll(async () => {
    sms = await SmsSink.start();
    // No worker here: the story runs the sending itself, five times at once.
    h = await Harness.start({ SMS_WEBHOOK_URL: sms.url, WORKERS_ENABLED: false, QUEUE_PREFIX: 'snp-test:notify-twice' });
  });
  afterAll(async () => {
    await h.close();
    await sms.close();
  });

  it('sends the message once and counts one attempt', async () => {
    const { gp, practitionerId, communityId } = await h.gpWithAgenda();
    const [slot] = await h.publish(gp, practitionerId, [60]);
    const secretary = await h.account('secretary', { practiceId: (await h.practice(communityId)).id });
    const phone = mobile();
    const booking = (await h.as(secretary).post('/bookings').send({ slotId: slot.id, patient: patient({ phone: phone.typed }) }).expect(201)).body;
    const [{ id }] = await h.app.get(DataSource).query(`SELECT id FROM notification WHERE booking_id = $1 AND template = 'booking_confirmed_patient'`, [booking.id]);

    const service = h.app.get(NotificationsService);
    const runs = await Promise.allSettled(Array.from({ length: 5 }, () => service.deliver(id)));
    const outcomes = runs.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).constructor.name));
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    // The others found it sent ('done') or still held by the sending run (retried later by BullMQ).
    expect(outcomes.filter((o) => o !== 'sent').every((o) => o === 'done' || o === 'RetryLater')).toBe(true);
    expect(await service.deliver(id)).toBe('done');
    expect(sms.to(phone.e164)).toHaveLength(1);
    const [row] = await h.app.get(DataSource).query(`SELECT status, attempts FROM notification WHERE id = $1`, [id]);
    expect(row).toEqual({ status: 'sent', attempts: 1 });
  });

  it('withdraws a confirmation not yet sent when the booking is cancelled: the patient never reads "confirmé" after "annulé"', async () => {
    const { gp, practitionerId, communityId } = await h.gpWithAgenda();
    const [slot] = await h.publish(gp, practitionerId, [120]);
    const secretary = await h.account('secretary', { practiceId: (await h.practice(communityId)).id });
    const phone = mobile();
    const booking = (await h.as(secretary).post('/bookings').send({ slotId: slot.id, patient: patient({ phone: phone.typed }) }).expect(201)).body;
    await h.as(secretary).post(`/bookings/${booking.id}/cancel`).send({}).expect(200);

    const ds = h.app.get(DataSource);
    const rows: Array<{ id: string; template: string; status: string }> = await ds.query(`SELECT id, template, status FROM notification WHERE booking_id = $1 ORDER BY template`, [booking.id]);
    expect(rows.map((r) => `${r.template}:${r.status}`)).toEqual([
      'booking_cancelled_patient:queued', 'booking_cancelled_practice:queued', 'booking_confirmed_patient:cancelled', 'booking_confirmed_practice:cancelled',
    ]);
    const service = h.app.get(NotificationsService);
    for (const r of rows) await service.deliver(r.id);
    const received = sms.to(phone.e164);
    expect(received).toHaveLength(1);
    expect(received[0].text).toMatch(/annul/i);
  });

  it('writes who could not be told as failed, for the coordination to see', async () => {
    // A practice with no account and a landline: nobody to reach on the receiving side.
    const community = await h.community();
    const practiceId = (await h.practice(community, { phone: '02 37 45 99 99' })).id;
    const practitionerId = (await h.practitioner(practiceId)).id;
    const ds = h.app.get(DataSource);
    const [{ id: slotId }] = await ds.query(
      `INSERT INTO slot (practitioner_id, practice_id, starts_at, ends_at, modality) VALUES ($1, $2, now() + interval '3 hours', now() + interval '3 hours 15 minutes', 'in_person') RETURNING id`,
      [practitionerId, practiceId],
    );
    const secretary = await h.account('secretary', { practiceId: (await h.practice(community)).id });
    const booking = (await h.as(secretary).post('/bookings').send({ slotId, patient: patient({ phone: mobile().typed }) }).expect(201)).body;
    const coordinator = await h.account('coordinator', { communityId: community });
    const rows = (await h.as(coordinator).get(`/notifications?bookingId=${booking.id}`).expect(200)).body.notifications;
    expect(rows.find((r: any) => r.template === 'booking_confirmed_practice')).toMatchObject({ status: 'failed', attempts: 0, error: expect.stringContaining('aucun destinataire') });
    expect(rows.find((r: any) => r.template === 'booking_confirmed_patient')).toMatchObject({ status: 'queued' });
  });

  it('loses no message when Redis loses its jobs: the reconciler queues them again', async () => {
    const { gp, practitionerId, communityId } = await h.gpWithAgenda();
    const [slot] = await h.publish(gp, practitionerId, [90]);
    const secretary = await h.account('secretary', { practiceId: (await h.practice(communityId)).id });
    const phone = mobile();
    const booking = (await h.as(secretary).post('/bookings').send({ slotId: slot.id, patient: patient({ phone: phone.typed }) }).expect(201)).body;

    // Redis restarted empty for this queue (the story's own prefix, not the other stories').
    const redis = new Redis(testConfig().REDIS_URL);
    try {
      const keys = await redis.keys('snp-test:notify-twice:*');
      if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    const ds = h.app.get(DataSource);
    const ours: Array<{ id: string }> = await ds.query(`SELECT id FROM notification WHERE booking_id = $1`, [booking.id]);
    expect(ours).toHaveLength(2); // the patient's confirmation and the GP's message
    // Checked through this process's queue: it runs no worker, so nothing here can add them back.
    const lost = h.app.get<Queue>(getQueueToken(NOTIFICATIONS_QUEUE));
    expect(await Promise.all(ours.map((r) => lost.getJob(r.id)))).toEqual([undefined, undefined]);
    const workers = await Harness.start({ SMS_WEBHOOK_URL: sms.url, QUEUE_PREFIX: 'snp-test:notify-twice' });
    try {
      // The reconciler runs each minute anyway; called here so the story does not wait for it.
      // Either run may be the one that re-adds the jobs: only the reconciler can, Redis lost them.
      await workers.app.get(NotificationsService).reconcile();
      const [m] = await eventually(async () => sms.to(phone.e164), (ms) => ms.length === 1);
      expect(m.text).toMatch(/confirm/i);
      const statuses = await eventually(
        async () => (await ds.query(`SELECT status FROM notification WHERE booking_id = $1`, [booking.id])).map((r: { status: string }) => r.status),
        (s: string[]) => !s.includes('queued'),
      );
      expect(statuses).not.toContain('failed');
    } finally {
      await workers.close();
    }
  });
});
