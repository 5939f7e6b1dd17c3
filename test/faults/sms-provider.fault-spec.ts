import { DataSource } from 'typeorm';
import { matchingScene } from '../matching/scene';
import { eventually, Harness, patient } from '../support/harness';
import { SmsSink } from '../support/message-sinks';
import { ServiceProcess } from './processes';

/**
 * The SMS provider hangs on one message and cuts the connection on another. Sends time out
 * (SMS_TIMEOUT_MS) and are retried after the backoff; the other messages are not held back; each
 * faulty message reaches the provider at most once more, under the same Idempotency-Key, so a
 * provider that honours it sends it once.
 */
describe('an SMS provider that hangs or resets', () => {
  let h: Harness;
  let sink: SmsSink;
  let worker: ServiceProcess;
  beforeAll(async () => {
    // The jobs carry the backoff of the process that adds them (here, the test's app): 1 s.
    h = await Harness.start({ WORKERS_ENABLED: false, NOTIFY_BACKOFF_MS: 1000 });
    sink = await SmsSink.start();
    worker = await ServiceProcess.worker({ SMS_WEBHOOK_URL: sink.url, SMS_TIMEOUT_MS: '1500', NOTIFY_BACKOFF_MS: '1000', NOTIFY_CONCURRENCY: '8' });
  }, 90_000);
  afterAll(async () => {
    await worker?.stop();
    await sink?.close();
    await h?.close();
  });

  it('times out, retries once, and holds back no other message', async () => {
    const scene = await matchingScene(h, 1);
    const [gp] = scene.practitioners;
    // More than 2 h away: no reminder is due during the story (only the confirmations go).
    const slots = await h.publish(gp.gp, gp.id, [130, 145, 160, 175, 190, 205, 220, 235, 250, 265]);
    const phones = slots.map((_, i) => `+336000000${String(10 + i)}`);
    const [hung, reset, ...others] = phones;
    sink.misbehave(hung, ['hang']);
    sink.misbehave(reset, ['reset']);

    const bookings = await Promise.all(
      slots.map(async (s, i) => (await h.as(scene.secretary).post('/bookings').send({ slotId: s.id, patient: patient({ phone: phones[i], lastName: `Patient${i}` }) }).expect(201)).body.id as string),
    );
    const ds = h.app.get(DataSource);
    const patientSms = () =>
      ds.query(`SELECT id, recipient, status, attempts FROM notification WHERE booking_id = ANY($1) AND template = 'booking_confirmed_patient' AND recipient = ANY($2)`, [bookings, phones]);
    const rows: Array<{ id: string; recipient: string; status: string; attempts: number }> = await eventually(patientSms, (rs: any[]) => rs.length === 10 && rs.every((r) => r.status === 'sent'), 60_000);

    // The confirmation's sends (the same patient may also get a reminder, under another key).
    const arrivals = (to: string) => sink.arrivals.filter((a) => a.to === to && a.idempotencyKey === rows.find((r) => r.recipient === to)!.id);
    // The hung message: given up after the time-out, sent again under the same key (its id), then accepted.
    const h1 = arrivals(hung);
    expect(h1.map((a) => a.fate)).toEqual(['hung', 'accepted']);
    expect(h1[1].at - h1[0].at).toBeGreaterThanOrEqual(1500);
    // The cut connection: the same.
    const r1 = arrivals(reset);
    expect(r1.map((a) => a.fate)).toEqual(['reset', 'accepted']);
    // The others: each sent once, all of them before the hung message's time-out had even run out.
    for (const to of others) expect(arrivals(to).map((a) => a.fate)).toEqual(['accepted']);
    expect(Math.max(...others.map((to) => arrivals(to)[0].at))).toBeLessThan(h1[0].at + 1500);
    expect(rows.find((r) => r.recipient === hung)!.attempts).toBe(2);
    expect(rows.find((r) => r.recipient === reset)!.attempts).toBe(2);
    expect(rows.filter((r) => others.includes(r.recipient)).every((r) => r.attempts === 1)).toBe(true);
  }, 120_000);
});
