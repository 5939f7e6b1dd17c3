import { Harness } from '../support/harness';

/** Support traces a user's complaint through the logs by the id the answer carried. */
describe('request ids', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h.close();
  });

  it('gives every answer its own X-Request-Id, errors included', async () => {
    const a = await h.http.get('/health').expect(200);
    const b = await h.http.get('/api/v1/slots').expect(401);
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it("keeps the caller's X-Request-Id when it is a plain token, replaces it otherwise", async () => {
    const kept = await h.http.get('/health').set('X-Request-Id', 'samu28-7f3a.01').expect(200);
    expect(kept.headers['x-request-id']).toBe('samu28-7f3a.01');
    const replaced = await h.http.get('/health').set('X-Request-Id', 'x'.repeat(65)).expect(200);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
