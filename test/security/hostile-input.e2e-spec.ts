import { API, Harness, patient } from '../support/harness';

/**
 * What an attacker sends first: bodies nested to exhaust the stack, NUL characters that PostgreSQL
 * refuses, forged client addresses. Each is a 400 (or ignored), never a 500; every answer carries
 * the security headers.
 */
describe('hostile input and security headers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.close());

  const nestedJson = (depth: number) => {
    let body = '1';
    for (let i = 0; i < depth; i++) body = `{"a":${body}}`;
    return body;
  };

  it('answers 400 to a deeply nested JSON body on sign-in (and on a booking), not 500', async () => {
    const res = await h.http.post(`${API}/auth/login`).set('content-type', 'application/json').send(`{"email":"a@b.fr","password":"x","z":${nestedJson(20_000)}}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'validation_failed', message: expect.stringContaining('imbriqué trop profondément') });
    const booking = await h.as(h.admin).post('/bookings').set('content-type', 'application/json').send(`{"slotId":${nestedJson(100)}}`);
    expect(booking.status).toBe(400);
  });

  it('answers 400 to a NUL character in a patient name, an e-mail, a password or a query string', async () => {
    const request = await h.as(h.admin).post('/requests').send({ patient: patient({ firstName: 'L\u0000a' }), location: { communeCode: '28088' } });
    expect(request.status).toBe(400);
    expect(request.body.message).toContain('caractère nul');
    const login = await h.http.post(`${API}/auth/login`).send({ email: 'admin@test.cpts.local', password: 'x\u0000y' });
    expect(login.status).toBe(400);
    const query = await h.as(h.admin).get('/communes?q=ch%00teau');
    expect(query.status).toBe(400);
    expect(query.body).toMatchObject({ statusCode: 400, error: 'validation_failed' });
  });

  it('refuses control characters in free text (a name is text, not a terminal escape)', async () => {
    const res = await h.as(h.admin).post('/requests').send({ patient: patient({ lastName: 'Martin\u001b[2J' }), location: { communeCode: '28088' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.details)).toContain('caractère de contrôle');
  });

  it('puts the usual security headers on API answers, errors and /health, and keeps them out of caches', async () => {
    for (const res of [await h.as(h.admin).get('/practices'), await h.http.get(`${API}/bookings`), await h.http.get('/health')]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['cache-control']).toContain('no-store');
    }
  });

  it('keeps the web page under its own policy: own scripts and styles only, no framing', async () => {
    const page = await h.http.get('/').expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    // Counters of its own (limits are shared through Redis by every process of a deployment); the
    // harness signs its admin in first: one of the four attempts a minute.
    const limited = await Harness.start({ LOGIN_RATE_LIMIT: 4, QUEUE_PREFIX: `snp-test-xff-${Date.now()}` });
    try {
      const attempt = (i: number) => limited.http.post(`${API}/auth/login`).set('X-Forwarded-For', `203.0.113.${i}`).send({ email: 'nobody@test.cpts.local', password: 'wrong-password' });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await attempt(i)).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
