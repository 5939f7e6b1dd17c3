import { DateTime } from 'luxon';
import { Account, Harness, PLACES, patient } from '../support/harness';

/**
 * A mother calls the Bonneval practice: her 8-month-old has a fever, their own GP is full.
 * The secretary searches near Châteaudun and books a colleague's slot.
 */
describe('a secretary books a colleague’s same-day slot for an 8-month-old', () => {
  let h: Harness;
  let secretary: Account;
  let pediatricFriendly: { id: string };
  let adultsOnly: { id: string };
  let farAway: { id: string };
  let colleague: Account;
  const eightMonthsAgo = DateTime.now().setZone('Europe/Paris').minus({ months: 8, days: 3 }).toISODate()!;

  beforeAll(async () => {
    h = await Harness.start();
    const community = await h.community();
    const callerPractice = await h.practice(community, { communeCode: PLACES.bonneval.communeCode });
    secretary = await h.account('secretary', { practiceId: callerPractice.id });

    const chateaudun = await h.practice(community, { communeCode: PLACES.chateaudun.communeCode });
    pediatricFriendly = await h.practitioner(chateaudun.id, { minPatientAgeMonths: 0 });
    adultsOnly = await h.practitioner(chateaudun.id, { minPatientAgeMonths: 180 });
    colleague = await h.account('gp', { practitionerId: pediatricFriendly.id });

    const chartres = await h.practice(community, { communeCode: PLACES.chartres.communeCode });
    farAway = await h.practitioner(chartres.id);
  });

  afterAll(() => h.close());

  it('offers only slots that fit the child, within 24 h and 30 km, and books one', async () => {
    const [soon] = await h.publish(colleague, pediatricFriendly.id, [60]);
    const [tooLate] = await h.publish(colleague, pediatricFriendly.id, [30 * 60]);
    const adultsOnlyGp = await h.account('gp', { practitionerId: adultsOnly.id });
    const [notForChildren] = await h.publish(adultsOnlyGp, adultsOnly.id, [45]);
    const farGp = await h.account('gp', { practitionerId: farAway.id });
    const [tooFar] = await h.publish(farGp, farAway.id, [30]);

    const search = await h
      .as(secretary)
      .get(`/slots/search?communeCode=${PLACES.chateaudun.communeCode}&patientAgeMonths=8&limit=100`)
      .expect(200);
    const offered = search.body.results.map((r: any) => r.slot.id);
    expect(offered).toContain(soon.id);
    expect(offered).not.toContain(tooLate.id);
    expect(offered).not.toContain(notForChildren.id);
    expect(offered).not.toContain(tooFar.id);

    const hit = search.body.results.find((r: any) => r.slot.id === soon.id);
    expect(hit).toMatchObject({
      slot: { id: soon.id, start: soon.start, modality: 'in_person' },
      practitioner: { id: pediatricFriendly.id, profession: 'general_practitioner' },
      practice: { phone: '+33237450000' },
    });
    expect(hit.distanceKm).toBeLessThan(1);

    // The Chartres practice is about 42 km away: offered only when the secretary widens the radius.
    const wide = await h.as(secretary).get(`/slots/search?communeCode=${PLACES.chateaudun.communeCode}&maxDistanceKm=60&limit=100`).expect(200);
    expect(wide.body.results.map((r: any) => r.slot.id)).toContain(tooFar.id);

    // Booking the adults-only GP directly is refused too, with the reason.
    const refused = await h.as(secretary).post('/bookings').send({ slotId: notForChildren.id, patient: patient({ birthDate: eightMonthsAgo }) }).expect(422);
    expect(refused.body).toMatchObject({ error: 'patient_too_young' });
    expect(refused.body.message).toMatch(/15 ans/);

    const hold = await h.as(secretary).post(`/slots/${soon.id}/hold`).expect(201);
    expect(new Date(hold.body.expiresAt).getTime()).toBeGreaterThan(Date.now());

    // While held, the slot is no longer offered to others.
    const during = await h.as(secretary).get(`/slots/search?communeCode=${PLACES.chateaudun.communeCode}&limit=100`).expect(200);
    expect(during.body.results.map((r: any) => r.slot.id)).not.toContain(soon.id);

    const booking = await h
      .as(secretary)
      .post('/bookings')
      .send({ slotId: soon.id, holdToken: hold.body.holdToken, patient: patient({ firstName: 'Jules', birthDate: eightMonthsAgo }) })
      .expect(201);
    expect(booking.body).toMatchObject({
      status: 'confirmed',
      slot: { id: soon.id, start: soon.start },
      practitioner: { id: pediatricFriendly.id },
      patient: { firstName: 'Jules', phone: '+33612345678' },
    });

    // The receiving GP sees it; the slot is booked.
    const gpView = await h.as(colleague).get(`/bookings/${booking.body.id}`).expect(200);
    expect(gpView.body.patient.birthDate).toBe(eightMonthsAgo);
    const slots = await h.as(colleague).get(`/slots?practitionerId=${pediatricFriendly.id}&status=booked`).expect(200);
    expect(slots.body.slots.map((s: any) => s.id)).toEqual([soon.id]);
  });

  it('finds the same slots by postcode and by coordinates', async () => {
    const [slot] = await h.publish(colleague, pediatricFriendly.id, [120]);
    for (const where of ['postcode=28200', `lat=${PLACES.chateaudun.lat}&lon=${PLACES.chateaudun.lon}`]) {
      const res = await h.as(secretary).get(`/slots/search?${where}&limit=100`).expect(200);
      expect(res.body.results.map((r: any) => r.slot.id)).toContain(slot.id);
    }
  });
});
