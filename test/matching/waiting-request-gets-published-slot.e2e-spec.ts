import { eventually, Harness } from '../support/harness';
import { matchingScene } from './scene';

/**
 * 8:40, a secretary files a request for a patient nobody can see this morning. No GP nearby has a
 * free slot. At 9:05 a GP publishes one: the request is booked on it within seconds.
 */
describe('a waiting request gets the slot published after it', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h.close();
  });

  it('stays pending with no fitting slot, then is matched on the new slot', async () => {
    const scene = await matchingScene(h);
    const filed = await scene.file();
    expect(filed).toMatchObject({ id: expect.any(String), status: 'pending', deadline: expect.any(String) });
    expect(new Date(filed.deadline).getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000);

    // The engine looked, found nothing, and left it waiting.
    const looked = await eventually(() => scene.get(filed.id), (r) => r.attempts >= 1);
    expect(looked.status).toBe('pending');
    expect(looked.booking).toBeUndefined();

    const [slot] = await h.publish(scene.practitioners[0].gp, scene.practitioners[0].id, [120]);
    const matched = await eventually(() => scene.get(filed.id), (r) => r.status !== 'pending', 5000);
    expect(matched.status).toBe('matched');
    expect(matched.booking).toMatchObject({ status: 'confirmed', channel: 'matching', slot: { id: slot.id } });

    // The GP sees the booking on their agenda, made by the matching engine for the secretary's practice.
    const gpView = await h.as(scene.practitioners[0].gp).get(`/bookings/${matched.booking.id}`).expect(200);
    expect(gpView.body).toMatchObject({ channel: 'matching', patient: { lastName: 'Martin' } });
  });

  it('does not book a slot that breaks a hard constraint (too young, too far, outside the window)', async () => {
    const scene = await matchingScene(h);
    const [gp] = scene.practitioners;
    // A GP who sees children from 6 years only, a practice 5 km away (the request allows 3), a slot after the 24 h window.
    const adultsOnly = await h.practitioner(scene.practiceId, { minPatientAgeMonths: 72 });
    const adultsGp = await h.account('gp', { practitionerId: adultsOnly.id });
    await h.publish(adultsGp, adultsOnly.id, [60]);
    const farPractice = await h.practice(scene.communityId, { location: { lat: scene.place.lat + 0.045, lon: scene.place.lon } });
    const farDoc = await h.practitioner(farPractice.id);
    await h.publish(await h.account('gp', { practitionerId: farDoc.id }), farDoc.id, [60]);
    await h.publish(gp.gp, gp.id, [30 * 60]);

    const filed = await scene.file({ patient: { firstName: 'Jade', lastName: 'Petit', birthDate: babyBorn(8), phone: '06 11 22 33 44' } });
    const looked = await eventually(() => scene.get(filed.id), (r) => r.attempts >= 1);
    expect(looked.status).toBe('pending');
  });
});

/** A birth date `months` months ago. */
function babyBorn(months: number): string {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}
