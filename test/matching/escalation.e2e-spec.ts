import { eventually, Harness } from '../support/harness';
import { matchingScene } from './scene';

/** Nobody has a slot before the window closes: the secretary must be told in time to send the patient elsewhere. */
describe('a request nobody can match', () => {
  let h: Harness;
  beforeAll(async () => {
    // No margin: the request turns unmatched when its window closes (the default warns 60 minutes before).
    h = await Harness.start({ MATCHING_ESCALATION_MARGIN_MINUTES: 0 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('becomes unmatched when its window closes, and shows in ?status=unmatched', async () => {
    const scene = await matchingScene(h);
    const notAfter = new Date(Date.now() + 2500).toISOString();
    const filed = await scene.file({ notAfter });
    expect(filed.deadline).toBe(notAfter);

    const early = await scene.get(filed.id);
    expect(early.status).toBe('pending');
    const closed = await eventually(() => scene.get(filed.id), (r) => r.status !== 'pending', 8000);
    expect(closed.status).toBe('unmatched');
    expect(new Date(closed.statusChangedAt).getTime()).toBeGreaterThanOrEqual(new Date(notAfter).getTime() - 1000);

    const list = await h.as(scene.secretary).get('/requests?status=unmatched').expect(200);
    expect(list.body.requests.map((r: { id: string }) => r.id)).toContain(filed.id);
    const pending = await h.as(scene.secretary).get('/requests?status=pending').expect(200);
    expect(pending.body.requests.map((r: { id: string }) => r.id)).not.toContain(filed.id);
  });

  it('refuses a window beyond 24 hours from a secretary, and one already over', async () => {
    const scene = await matchingScene(h);
    const tooLong = await h.as(scene.secretary).post('/requests')
      .send({ patient: { firstName: 'A', lastName: 'B', birthDate: '1980-01-01', phone: '0612345678' }, location: scene.place, notAfter: new Date(Date.now() + 30 * 3600_000).toISOString() })
      .expect(422);
    expect(tooLong.body).toMatchObject({ error: 'window_too_long', message: expect.stringContaining('24') });
    const over = await h.as(scene.secretary).post('/requests')
      .send({ patient: { firstName: 'A', lastName: 'B', birthDate: '1980-01-01', phone: '0612345678' }, location: scene.place, notBefore: new Date(Date.now() - 7200_000).toISOString(), notAfter: new Date(Date.now() - 3600_000).toISOString() })
      .expect(422);
    expect(over.body.error).toBe('window_closed');
  });
});
