import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { Account, eventually, Harness, patient } from '../support/harness';
import { SmsSink, SmtpSink } from '../support/message-sinks';

/** A French mobile number no other story uses, as typed and in E.164. */
function mobile(): { typed: string; e164: string } {
  const digits = `13${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  return { typed: `06 ${digits.replace(/(\d\d)(?=\d)/g, '$1 ')}`, e164: `+336${digits}` };
}

/**
 * Message budgets: what one account's actions may send in an hour, and what the deployment may.
 * Beyond, the message is not sent (not even to the provider) and is `failed` with
 * `budget_exceeded`, visible to the coordination and counted in /metrics; the booking itself is
 * never refused for it.
 */
describe('message budgets', () => {
  let sms: SmsSink;
  let smtp: SmtpSink;
  beforeAll(async () => {
    sms = await SmsSink.start();
    smtp = await SmtpSink.start();
  });
  afterAll(async () => {
    await sms.close();
    await smtp.close();
  });

  /** An app whose budgets and counters are the story's own, with a GP, their coordinator and two secretaries. */
  async function scene(budgets: { NOTIFY_BUDGET_PER_ACCOUNT_PER_HOUR: number; NOTIFY_BUDGET_PER_HOUR: number }) {
    const h = await Harness.start({ SMS_WEBHOOK_URL: sms.url, SMTP_URL: smtp.url, NOTIFY_BACKOFF_MS: 100, QUEUE_PREFIX: `snp-test-budget-${randomUUID().slice(0, 8)}`, ...budgets });
    const { gp, practitionerId, communityId } = await h.gpWithAgenda();
    const coordinator = await h.account('coordinator', { communityId });
    const secretaries = [await h.account('secretary', { practiceId: (await h.practice(communityId)).id }), await h.account('secretary', { practiceId: (await h.practice(communityId)).id })];
    const slots = await h.publish(gp, practitionerId, [60, 80, 100, 120]);
    const book = async (who: Account, slotId: string) => {
      const phone = mobile();
      const res = await h.as(who).post('/bookings').send({ slotId, patient: patient({ phone: phone.typed }) });
      expect(res.status).toBe(201);
      return { id: res.body.id as string, phone };
    };
    const messages = async (bookingId: string) =>
      (await h.as(coordinator).get(`/notifications?bookingId=${bookingId}`).expect(200)).body.notifications as Array<Record<string, any>>;
    const settled = (bookingId: string) => eventually(() => messages(bookingId), (rows) => rows.length === 2 && rows.every((r) => r.status !== 'queued'));
    return { h, gp, slots, secretaries, book, messages, settled };
  }

  it('stops the messages of an account past its hourly budget, and not those of its colleague', async () => {
    const s = await scene({ NOTIFY_BUDGET_PER_ACCOUNT_PER_HOUR: 3, NOTIFY_BUDGET_PER_HOUR: 1000 });
    try {
      const [busy, colleague] = s.secretaries;
      const first = await s.book(busy, s.slots[0].id);
      await s.settled(first.id);
      const second = await s.book(busy, s.slots[1].id);
      const rows = await s.settled(second.id);
      // 4 messages for 2 bookings, budget 3: the 4th is not sent.
      const all = [...(await s.messages(first.id)), ...rows];
      expect(all.filter((r) => r.status === 'sent')).toHaveLength(3);
      const stopped = all.filter((r) => r.status === 'failed');
      expect(stopped).toEqual([expect.objectContaining({ error: 'budget_exceeded', attempts: 1 })]);
      // Not handed to the provider: the patient or the GP received only what was sent.
      expect(sms.to(first.phone.e164).length + sms.to(second.phone.e164).length + smtp.to(s.gp.email).length).toBe(3);

      const other = await s.book(colleague, s.slots[2].id);
      expect((await s.settled(other.id)).map((r) => r.status)).toEqual(['sent', 'sent']);

      const metrics = await s.h.as(s.h.admin).get('/metrics').expect(200);
      expect(Number(/^snp_notifications_budget_exceeded (\d+)$/m.exec(metrics.text)?.[1])).toBeGreaterThanOrEqual(1);
    } finally {
      await s.h.close();
    }
  });

  it('stops every message past the deployment’s hourly budget, the bookings still made', async () => {
    // Messages earlier stories left queued would be sent by this story's worker (its reconciler
    // re-queues every queued row) and spend the deployment's budget of 2: they are withdrawn first.
    const cleaner = await Harness.start({ WORKERS_ENABLED: false });
    await cleaner.app.get(DataSource).query(`UPDATE notification SET status = 'cancelled', status_changed_at = now() WHERE status = 'queued'`);
    await cleaner.close();
    const s = await scene({ NOTIFY_BUDGET_PER_ACCOUNT_PER_HOUR: 1000, NOTIFY_BUDGET_PER_HOUR: 2 });
    try {
      const first = await s.book(s.secretaries[0], s.slots[0].id);
      expect((await s.settled(first.id)).map((r) => r.status).sort()).toEqual(['sent', 'sent']);
      const second = await s.book(s.secretaries[1], s.slots[1].id);
      const rows = await s.settled(second.id);
      expect(rows.map((r) => [r.status, r.error])).toEqual([['failed', 'budget_exceeded'], ['failed', 'budget_exceeded']]);
      expect((await s.h.as(s.secretaries[1]).get(`/bookings/${second.id}`).expect(200)).body.status).toBe('confirmed');
    } finally {
      await s.h.close();
    }
  });
});
