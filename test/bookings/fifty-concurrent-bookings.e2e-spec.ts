import { Account, Harness, isolatedPlace, patient } from '../support/harness';

/** Fifty secretaries and regulators click "Réserver" on the same free slot at the same instant. */
describe('50 simultaneous bookings of one free slot', () => {
  let h: Harness;
  let bookers: Account[];
  let gp: Account;
  let practitionerId: string;

  beforeAll(async () => {
    h = await Harness.start();
    const community = await h.community();
    // A place of its own: the alternatives offered must not be other stories' slots.
    const practice = await h.practice(community, { location: await isolatedPlace(h) });
    practitionerId = (await h.practitioner(practice.id)).id;
    gp = await h.account('gp', { practitionerId });
    const otherPractice = await h.practice(community);
    bookers = await Promise.all([
      ...Array.from({ length: 5 }, () => h.account('secretary', { practiceId: otherPractice.id })),
      ...Array.from({ length: 5 }, () => h.account('regulator')),
    ]);
  });

  afterAll(() => h.close());

  it('gives exactly one 201; the 49 others get 409 slot_unavailable with alternatives', async () => {
    const [contested, alternative] = await h.publish(gp, practitionerId, [90, 120]);
    const attempts = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.as(bookers[i % bookers.length]).post('/bookings').send({ slotId: contested.id, patient: patient({ lastName: `Patient${i}` }) }),
      ),
    );
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const losers = attempts.filter((r) => r.status === 409);
    for (const r of losers) expect(r.body).toMatchObject({ statusCode: 409, error: 'slot_unavailable' });
    expect(losers[0].body.alternatives.map((a: any) => a.slot.id)).toContain(alternative.id);
    expect(losers[0].body.alternatives.map((a: any) => a.slot.id)).not.toContain(contested.id);

    const booked = await h.as(gp).get(`/bookings?from=${encodeURIComponent(contested.start)}`).expect(200);
    expect(booked.body.bookings.filter((b: any) => b.slot.id === contested.id)).toHaveLength(1);
  });

  it('also holds: of 20 simultaneous holds, one wins', async () => {
    const [slot] = await h.publish(gp, practitionerId, [150]);
    const holds = await Promise.all(Array.from({ length: 20 }, (_, i) => h.as(bookers[i % bookers.length]).post(`/slots/${slot.id}/hold`)));
    expect(holds.filter((r) => r.status === 201)).toHaveLength(1);
    expect(holds.filter((r) => r.status === 409)).toHaveLength(19);
  });
});
