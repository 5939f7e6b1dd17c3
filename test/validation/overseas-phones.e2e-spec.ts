import { Account, Harness, patient, unique } from '../support/harness';

/**
 * Overseas CPTS: phones typed the French way become the right E.164 number in every field that
 * takes one — a practice's, a booked patient's, a request's patient's, the coordination's lookup —
 * and a CPTS of the Pacific reads its numbers (no trunk 0) in its own region.
 */
describe('overseas phone numbers, typed the French way', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h?.close());

  /** A CPTS of these communes with a practice at `location`, its GP, secretary and coordinator. */
  async function cpts(communeCodes: string[], location: { lat: number; lon: number }, practicePhone: string) {
    const communityId = (await h.as(h.admin).post('/communities').send({ name: unique('CPTS outre-mer'), communeCodes }).expect(201)).body.id;
    const practice = (await h.as(h.admin).post('/practices').send({ communityId, name: unique('Cabinet'), address: '1 rue de Paris', communeCode: communeCodes[0], phone: practicePhone, location }).expect(201)).body;
    const practitionerId = (await h.practitioner(practice.id)).id;
    return {
      practice,
      practitionerId,
      gp: await h.account('gp', { practitionerId }),
      secretary: await h.account('secretary', { practiceId: practice.id }),
      coordinator: await h.account('coordinator', { communityId }),
    };
  }
  let minutes = 300;
  const book = async (who: Account, gp: Account, practitionerId: string, phone: string) => {
    const [slot] = await h.publish(gp, practitionerId, [(minutes += 20)]);
    return (await h.as(who).post('/bookings').send({ slotId: slot.id, patient: patient({ phone }) }).expect(201)).body;
  };

  it('reads Réunion’s, Guadeloupe’s, Martinique’s, Guyane’s and Mayotte’s numbers in every field', async () => {
    const reunion = await cpts(['97411'], { lat: -20.8823, lon: 55.4504 }, '0262 41 12 34');
    expect(reunion.practice.phone).toBe('+262262411234');
    for (const [typed, e164] of [
      ['0692 12 34 56', '+262692123456'],
      ['0639 01 23 45', '+262639012345'],
      ['0690 12 34 56', '+590690123456'],
      ['0696 12 34 56', '+596696123456'],
      ['0694 12 34 56', '+594694123456'],
      ['06 12 34 56 78', '+33612345678'],
    ]) {
      const booking = await book(reunion.secretary, reunion.gp, reunion.practitionerId, typed);
      expect([typed, booking.patient.phone]).toEqual([typed, e164]);
    }
    const request = (await h.as(reunion.secretary).post('/requests').send({ patient: patient({ phone: '0693 11 22 33' }), location: { lat: -21.3393, lon: 55.4781 }, maxDistanceKm: 1 }).expect(202)).body;
    expect(request.patient.phone).toBe('+262693112233');
    // The coordination finds the patient by the number as the patient gives it.
    const found = (await h.as(reunion.coordinator).post('/patients/lookup').send({ phone: '0692 12 34 56', birthDate: patient().birthDate }).expect(200)).body;
    expect(found.bookings).toHaveLength(1);
  });

  it('reads a Polynesian CPTS’s numbers in Polynesia', async () => {
    const tahiti = await cpts(['98735'], { lat: -17.5353, lon: -149.5696 }, '40 41 12 34');
    expect(tahiti.practice.phone).toBe('+68940411234');
    const booking = await book(tahiti.secretary, tahiti.gp, tahiti.practitionerId, '87 12 34 56');
    expect(booking.patient.phone).toBe('+68987123456');
  });

  it('refuses, in French, a number its region does not allocate', async () => {
    const reunion = await cpts(['97411'], { lat: -20.8823, lon: 55.4504 }, '0262 41 12 34');
    const [slot] = await h.publish(reunion.gp, reunion.practitionerId, [(minutes += 20)]);
    const res = await h.as(reunion.secretary).post('/bookings').send({ slotId: slot.id, patient: patient({ phone: '0596 12 34 56' }) }).expect(400);
    expect(res.body.details[0]).toMatchObject({ field: 'patient.phone' });
  });
});
