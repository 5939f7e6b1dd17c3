import { Account, Harness, inMinutes, randomRpps } from '../support/harness';

/** A GP publishes this morning's SNP slots; the database keeps the agenda consistent. */
describe('a GP publishes SNP slots', () => {
  let h: Harness;
  let gp: Account;
  let practitionerId: string;
  let practiceId: string;

  beforeAll(async () => {
    h = await Harness.start();
    ({ practiceId, practitionerId, gp } = await h.gpWithAgenda());
  });

  afterAll(() => h.close());

  it('refuses a slot that overlaps one already published with 409 slot_overlap', async () => {
    await h.publish(gp, practitionerId, [600], 30);
    const res = await h
      .as(gp)
      .post('/slots')
      .send({ practitionerId, slots: [{ start: inMinutes(615), end: inMinutes(645) }] })
      .expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, error: 'slot_overlap' });
    // Back-to-back is fine: [start, end) ranges only touch.
    await h.as(gp).post('/slots').send({ practitionerId, slots: [{ start: inMinutes(630), end: inMinutes(645) }] }).expect(201);
  });

  it('refuses overlapping slots sent together, and stores none of the batch', async () => {
    const res = await h
      .as(gp)
      .post('/slots')
      .send({ practitionerId, slots: [{ start: inMinutes(700), end: inMinutes(730) }, { start: inMinutes(720), end: inMinutes(750) }] })
      .expect(409);
    expect(res.body.error).toBe('slot_overlap');
    const listed = await h.as(gp).get(`/slots?practitionerId=${practitionerId}&from=${encodeURIComponent(inMinutes(695))}&to=${encodeURIComponent(inMinutes(760))}`).expect(200);
    expect(listed.body.slots).toEqual([]);
  });

  it('lets concurrent overlapping publications through only once (exclusion constraint)', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        h.as(gp).post('/slots').send({ practitionerId, slots: [{ start: inMinutes(800 + i), end: inMinutes(830 + i) }] }),
      ),
    );
    expect(attempts.filter((r) => r.status === 201)).toHaveLength(1);
    expect(attempts.filter((r) => r.status === 409).every((r) => r.body.error === 'slot_overlap')).toBe(true);
  });

  it('refuses a slot in the past with 422', async () => {
    const res = await h.as(gp).post('/slots').send({ practitionerId, slots: [{ start: inMinutes(-60), end: inMinutes(-45) }] }).expect(422);
    expect(res.body).toMatchObject({ statusCode: 422, error: 'slot_in_past' });
  });

  it('withdraws a free slot, which leaves room for a new one at the same time', async () => {
    const [slot] = await h.publish(gp, practitionerId, [900], 30);
    await h.as(gp).delete(`/slots/${slot.id}`).expect(204);
    await h.as(gp).post('/slots').send({ practitionerId, slots: [{ start: slot.start, end: slot.end }] }).expect(201);
  });

  it('does not let a GP publish in a colleague’s agenda', async () => {
    const colleague = await h.practitioner(practiceId);
    const res = await h.as(gp).post('/slots').send({ practitionerId: colleague.id, slots: [{ start: inMinutes(60), end: inMinutes(75) }] }).expect(403);
    expect(res.body.error).toBe('forbidden');
  });

  it('refuses a practitioner whose RPPS check digit is wrong with 400', async () => {
    const good = randomRpps();
    const bad = good.slice(0, 10) + String((Number(good[10]) + 1) % 10);
    const res = await h
      .as(h.admin)
      .post('/practitioners')
      .send({ rpps: bad, firstName: 'Paul', lastName: 'Durand', profession: 'general_practitioner', practiceId })
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'validation_failed' });
    expect(res.body.details.map((d: any) => d.field)).toContain('rpps');
    expect(res.body.message).toMatch(/Luhn/);
  });
});
