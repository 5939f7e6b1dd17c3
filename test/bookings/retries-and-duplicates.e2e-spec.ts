import { Harness, patient } from '../support/harness';

/**
 * A booking sent again without Idempotency-Key (its answer was lost) gets the first booking (200),
 * not a 409 that would make the integrator book the patient elsewhere; a patient who already has a
 * live booking within 24 h is booked with a warning naming it.
 */
describe('bookings: retries without a key, and the same patient booked twice', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h?.close());

  it('answers a repeat without key with the first booking (200), and nothing else', async () => {
    const { gp, practitionerId, practiceId } = await h.gpWithAgenda();
    const secretary = await h.account('secretary', { practiceId });
    const [slot] = await h.publish(gp, practitionerId, [120]);
    const who = patient({ lastName: 'Perrin', firstName: 'Lucie', phone: '06 71 72 73 74' });
    const first = await h.as(secretary).post('/bookings').send({ slotId: slot.id, patient: who }).expect(201);
    // The same call again (names typed in another case, the phone written otherwise): the same booking.
    const again = await h.as(secretary).post('/bookings').send({ slotId: slot.id, patient: { ...who, lastName: 'PERRIN', phone: '+33671727374' } }).expect(200);
    expect(again.body).toEqual(first.body);
    // Another patient, or another account, on the same slot: it is taken.
    await h.as(secretary).post('/bookings').send({ slotId: slot.id, patient: { ...who, firstName: 'Marc' } }).expect(409);
    const colleague = await h.account('secretary', { practiceId });
    await h.as(colleague).post('/bookings').send({ slotId: slot.id, patient: who }).expect(409);
    const { bookings } = (await h.as(secretary).get('/bookings').expect(200)).body;
    expect(bookings.filter((b: any) => b.slot.id === slot.id)).toHaveLength(1);
  });

  it('books a patient who already has a live booking within 24 h, with a warning naming it', async () => {
    const { gp, practitionerId, practiceId } = await h.gpWithAgenda();
    const secretary = await h.account('secretary', { practiceId });
    const regulator = await h.account('regulator');
    const slots = await h.publish(gp, practitionerId, [60, 180, 300]);
    const who = patient({ lastName: 'Garnier', phone: '06 81 82 83 84', birthDate: '1961-06-01' });
    const first = (await h.as(secretary).post('/bookings').send({ slotId: slots[0].id, patient: who }).expect(201)).body;
    expect(first.warnings).toBeUndefined();
    const second = (await h.as(secretary).post('/bookings').send({ slotId: slots[1].id, patient: { ...who, firstName: 'Paul' } }).expect(201)).body;
    expect(second.warnings).toEqual([{ code: 'patient_already_booked', bookingId: first.id }]);
    // Another patient (another birth date, same phone: a family's phone): no warning.
    const child = (await h.as(secretary).post('/bookings').send({ slotId: slots[2].id, patient: { ...who, birthDate: '2019-04-02' } }).expect(201)).body;
    expect(child.warnings).toBeUndefined();
    // Once the first is cancelled, it is no longer a duplicate; and the regulation is warned only of what it may see.
    await h.as(secretary).post(`/bookings/${first.id}/cancel`).send({}).expect(200);
    const [later] = await h.publish(gp, practitionerId, [420]);
    const third = (await h.as(regulator).post('/bookings').send({ slotId: later.id, patient: who }).expect(201)).body;
    expect(third.warnings).toBeUndefined();
  });
});
