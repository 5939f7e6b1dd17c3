import { eventually, Harness, patient } from '../support/harness';
import { matchingScene } from './scene';

describe('waiting requests and scarce slots', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h.close();
  });

  it('gives the one new slot to the priority patient, though the other was filed first', async () => {
    const scene = await matchingScene(h);
    const adult = await scene.file({ patient: patient({ hasReferringGp: true, birthDate: '1985-04-02' }) });
    // Filed later: no médecin traitant and a chronic condition (ALD).
    const priority = await scene.file({ patient: patient({ lastName: 'Durand', hasReferringGp: false, birthDate: '1960-09-12' }), chronicCondition: true });
    await eventually(async () => [await scene.get(adult.id), await scene.get(priority.id)], (rs) => rs.every((r) => r.attempts >= 1));

    await h.publish(scene.practitioners[0].gp, scene.practitioners[0].id, [90]);
    const [p] = await eventually(async () => [await scene.get(priority.id)], ([r]) => r.status === 'matched', 5000);
    expect(p.urgency).toBe(2);
    const a = await scene.get(adult.id);
    expect(a.status).toBe('pending');
  });

  it('gives a cancelled booking’s slot to the next waiting request', async () => {
    const scene = await matchingScene(h);
    await h.publish(scene.practitioners[0].gp, scene.practitioners[0].id, [150]);
    const first = await scene.file();
    const matched = await eventually(() => scene.get(first.id), (r) => r.status === 'matched', 5000);
    const second = await scene.file({ patient: patient({ lastName: 'Bernard' }) });
    await eventually(() => scene.get(second.id), (r) => r.attempts >= 1);
    expect((await scene.get(second.id)).status).toBe('pending');

    // The first patient is better: the secretary cancels the request, and with it the booking.
    const cancelled = await h.as(scene.secretary).post(`/requests/${first.id}/cancel`).send({}).expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    const next = await eventually(() => scene.get(second.id), (r) => r.status === 'matched', 5000);
    expect(next.booking.slot.id).toBe(matched.booking.slot.id);
    const old = await h.as(scene.secretary).get(`/bookings/${matched.booking.id}`).expect(200);
    expect(old.body.status).toBe('cancelled');
  });

  it('lets only the filing side and the coordination of its CPTS see a request (for others it does not exist)', async () => {
    const scene = await matchingScene(h);
    const filed = await scene.file();
    const stranger = await h.account('secretary', { practiceId: scene.practiceId });
    await h.as(stranger).get(`/requests/${filed.id}`).expect(404);
    await h.as(stranger).post(`/requests/${filed.id}/cancel`).send({}).expect(404);
    const otherCoordinator = await h.account('coordinator');
    await h.as(otherCoordinator).get(`/requests/${filed.id}`).expect(404);
    const coordinator = await h.account('coordinator', { communityId: scene.communityId });
    await h.as(coordinator).get(`/requests/${filed.id}`).expect(200);
    expect((await scene.get(filed.id)).status).toBe('pending');
  });
});
