import { DataSource } from 'typeorm';
import { eventually, Harness, patient } from '../support/harness';

/** A failed message sent again by the coordination: queued with its attempts afresh, then handled; only a failed one, only in its CPTS. */
describe('notifications: sending a failed message again', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h?.close());

  it('queues a failed message again for the coordination of its CPTS, and refuses the rest', async () => {
    const { gp, practitionerId, practiceId, communityId } = await h.gpWithAgenda();
    const secretary = await h.account('secretary', { practiceId });
    const coordinator = await h.account('coordinator', { communityId });
    const ds = h.app.get(DataSource);
    const [slot] = await h.publish(gp, practitionerId, [90]);
    const booking = (await h.as(secretary).post('/bookings').send({ slotId: slot.id, patient: patient() }).expect(201)).body;
    const sms = async () => (await ds.query(`SELECT id, status, attempts FROM notification WHERE booking_id = $1 AND channel = 'sms' ORDER BY created_at LIMIT 1`, [booking.id]))[0];
    const first = await eventually(sms, (n) => n && n.status !== 'queued');
    await ds.query(`UPDATE notification SET status = 'failed', last_error = 'HTTP 503 : fournisseur indisponible', attempts = 6 WHERE id = $1`, [first.id]);

    await h.as(secretary).post(`/notifications/${first.id}/retry`).expect(403);
    await h.as(await h.account('coordinator')).post(`/notifications/${first.id}/retry`).expect(404);
    const res = await h.as(coordinator).post(`/notifications/${first.id}/retry`).expect(200);
    expect(res.body).toEqual({ id: first.id, status: 'queued' });
    // The worker sends it again (no SMS provider in tests: the outbox file), its attempts afresh.
    const again = await eventually(sms, (n) => n.status !== 'queued' && n.status !== 'failed');
    expect(again.attempts).toBe(1);
    const refused = await h.as(coordinator).post(`/notifications/${first.id}/retry`).expect(409);
    expect(refused.body.error).toBe('not_failed');
  });
});
