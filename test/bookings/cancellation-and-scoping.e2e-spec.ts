import { Account, Harness, patient } from '../support/harness';

/**
 * Who may see, cancel and close a booking: the side that booked, the receiving side, the coordinator
 * of the CPTS. For anyone else the booking does not exist (404): its existence is not told either.
 */
describe('cancelling a booking', () => {
  let h: Harness;
  let bookingSecretary: Account;
  let strangerSecretary: Account;
  let receivingSecretary: Account;
  let gp: Account;
  let coordinator: Account;
  let practitionerId: string;

  beforeAll(async () => {
    h = await Harness.start();
    const community = await h.community();
    const receiving = await h.practice(community);
    practitionerId = (await h.practitioner(receiving.id)).id;
    gp = await h.account('gp', { practitionerId });
    receivingSecretary = await h.account('secretary', { practiceId: receiving.id });
    bookingSecretary = await h.account('secretary', { practiceId: (await h.practice(community)).id });
    strangerSecretary = await h.account('secretary', { practiceId: (await h.practice(community)).id });
    coordinator = await h.account('coordinator', { communityId: community });
  });

  afterAll(() => h.close());

  async function book(start: number) {
    const [slot] = await h.publish(gp, practitionerId, [start]);
    const res = await h.as(bookingSecretary).post('/bookings').send({ slotId: slot.id, patient: patient() }).expect(201);
    return { slot, booking: res.body };
  }

  it('hides it from a secretary of another practice, who can neither see nor cancel it (404)', async () => {
    const { booking } = await book(60);
    const res = await h.as(strangerSecretary).post(`/bookings/${booking.id}/cancel`).send({}).expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'not_found', message: 'Rendez-vous introuvable' });
    await h.as(strangerSecretary).get(`/bookings/${booking.id}`).expect(404);
    const list = await h.as(strangerSecretary).get('/bookings').expect(200);
    expect(list.body.bookings.map((b: any) => b.id)).not.toContain(booking.id);
    const still = await h.as(bookingSecretary).get(`/bookings/${booking.id}`).expect(200);
    expect(still.body.status).toBe('confirmed');
  });

  it('lets the booking side cancel; the slot is free and searchable again', async () => {
    const { slot, booking } = await book(90);
    await h.as(gp).delete(`/slots/${slot.id}`).expect(409);
    const res = await h.as(bookingSecretary).post(`/bookings/${booking.id}/cancel`).send({ reason: 'le patient va mieux' }).expect(200);
    expect(res.body.status).toBe('cancelled');
    const search = await h.as(strangerSecretary).get('/slots/search?communeCode=28088&limit=100').expect(200);
    expect(search.body.results.map((r: any) => r.slot.id)).toContain(slot.id);
    // Cancelling again is harmless; the slot can be booked anew.
    await h.as(bookingSecretary).post(`/bookings/${booking.id}/cancel`).send({}).expect(200);
    await h.as(strangerSecretary).post('/bookings').send({ slotId: slot.id, patient: patient() }).expect(201);
  });

  it('lets the receiving practice and the coordinator cancel too', async () => {
    const first = await book(120);
    await h.as(receivingSecretary).post(`/bookings/${first.booking.id}/cancel`).send({}).expect(200);
    const second = await book(150);
    await h.as(coordinator).post(`/bookings/${second.booking.id}/cancel`).send({}).expect(200);
    const listed = await h.as(receivingSecretary).get('/bookings').expect(200);
    const statuses = Object.fromEntries(listed.body.bookings.map((b: any) => [b.id, b.status]));
    expect(statuses[first.booking.id]).toBe('cancelled');
    expect(statuses[second.booking.id]).toBe('cancelled');
  });

  it('records attended / no-show from the receiving side once the slot has started', async () => {
    const { booking } = await book(180);
    const early = await h.as(gp).post(`/bookings/${booking.id}/outcome`).send({ outcome: 'attended' }).expect(422);
    expect(early.body.error).toBe('outcome_too_early');
    await h.as(bookingSecretary).post(`/bookings/${booking.id}/outcome`).send({ outcome: 'no_show' }).expect(404);
  });

  it('closes a booking whose slot has started: outcome recorded, no more cancellation', async () => {
    const startsIn = 2500;
    const start = new Date(Date.now() + startsIn);
    const end = new Date(start.getTime() + 15 * 60000);
    const published = await h.as(gp).post('/slots').send({ practitionerId, slots: [{ start: start.toISOString(), end: end.toISOString() }] }).expect(201);
    const booking = await h.as(bookingSecretary).post('/bookings').send({ slotId: published.body.slots[0].id, patient: patient() }).expect(201);
    await new Promise((r) => setTimeout(r, Math.max(0, start.getTime() - Date.now()) + 200));

    await h.as(bookingSecretary).post(`/slots/${published.body.slots[0].id}/hold`).expect(422);
    const done = await h.as(gp).post(`/bookings/${booking.body.id}/outcome`).send({ outcome: 'attended' }).expect(200);
    expect(done.body.status).toBe('attended');
    const late = await h.as(bookingSecretary).post(`/bookings/${booking.body.id}/cancel`).send({}).expect(409);
    expect(late.body.error).toBe('booking_closed');
  });
});
