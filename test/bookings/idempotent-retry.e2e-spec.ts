import { Account, Harness, patient } from '../support/harness';

/** The regulation software times out and retries the same booking with its Idempotency-Key. */
describe('retrying a booking with the same Idempotency-Key', () => {
  let h: Harness;
  let regulator: Account;
  let gp: Account;
  let practitionerId: string;

  beforeAll(async () => {
    h = await Harness.start();
    ({ practitionerId, gp } = await h.gpWithAgenda());
    regulator = await h.account('regulator');
  });

  afterAll(() => h.close());

  it('returns the first booking again, and 422 when the key is reused for another body', async () => {
    const [slot, other] = await h.publish(gp, practitionerId, [60, 90]);
    // A phone of its own: the default one, booked by other stories, would add duplicate warnings to the first answer.
    const body = { slotId: slot.id, patient: patient({ lastName: 'Bernard', phone: `06 12 ${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}` }) };
    const first = await h.as(regulator).post('/bookings').set('Idempotency-Key', 'appel-1234').send(body).expect(201);
    const retry = await h.as(regulator).post('/bookings').set('Idempotency-Key', 'appel-1234').send(body).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(first.body.channel).toBe('regulation');

    const reused = await h.as(regulator).post('/bookings').set('Idempotency-Key', 'appel-1234').send({ ...body, slotId: other.id }).expect(422);
    expect(reused.body.error).toBe('idempotency_key_reused');

    // Without the key, the same body by the same account within 10 minutes is a repeat too: the
    // first booking, answered 200 (retries without key: see test/bookings/retries-and-duplicates).
    expect((await h.as(regulator).post('/bookings').send(body).expect(200)).body).toEqual(first.body);
    // Another patient on the booked slot is a second attempt: 409.
    await h.as(regulator).post('/bookings').send({ ...body, patient: patient({ lastName: 'Bertrand' }) }).expect(409);
  });

  it('books once when the same retry arrives many times at once', async () => {
    const [slot] = await h.publish(gp, practitionerId, [120]);
    const body = { slotId: slot.id, patient: patient({ lastName: 'Petit' }) };
    const answers = await Promise.all(Array.from({ length: 10 }, () => h.as(regulator).post('/bookings').set('Idempotency-Key', 'appel-5678').send(body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
  });
});
