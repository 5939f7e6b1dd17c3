import { ApiProcess } from '../support/api-process';
import { eventually } from '../support/harness';

interface LogLine {
  level: number;
  msg: string;
  req?: { id: string; method: string; path: string };
  res?: { statusCode: number };
  responseTime?: number;
}

/**
 * REQUEST_LOGS=true: one line per request in the API's real output, found by the X-Request-Id its
 * answer carried, with its method, path and status, and never its query string or a calendar
 * feed's secret.
 */
describe('request logs', () => {
  let api: ApiProcess;
  beforeAll(async () => {
    api = await ApiProcess.start({ REQUEST_LOGS: 'true', LOG_LEVEL: 'info' });
  }, 90_000);
  afterAll(async () => {
    await api?.stop();
  });

  const lines = (): LogLine[] =>
    api.output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
  const lineOf = async (id: string) => (await eventually(async () => lines().filter((l) => l.req?.id === id), (found) => found.length > 0))[0];

  it('writes one line per answered request, by its request id', async () => {
    await api.http.get('/health').set('X-Request-Id', 'trace-health-1').expect(200);
    const health = await lineOf('trace-health-1');
    expect(health).toMatchObject({ level: 30, msg: 'request completed', req: { id: 'trace-health-1', method: 'GET', path: '/health' }, res: { statusCode: 200 } });
    expect(typeof health.responseTime).toBe('number');

    const refused = await api.http.post('/api/v1/bookings').set('X-Request-Id', 'trace-refused-1').send({ slotId: 'x' }).expect(401);
    expect(refused.headers['x-request-id']).toBe('trace-refused-1');
    expect(await lineOf('trace-refused-1')).toMatchObject({ msg: 'request completed', req: { method: 'POST', path: '/api/v1/bookings' }, res: { statusCode: 401 } });
    expect(lines().filter((l) => l.req?.id === 'trace-refused-1')).toHaveLength(1);
  });

  it('never logs a query string nor a calendar feed secret', async () => {
    await api.http.get('/api/v1/slots?lat=48.8566&lon=2.3522&patientPhone=0611223344').set('X-Request-Id', 'trace-query-1').expect(401);
    expect(await lineOf('trace-query-1')).toMatchObject({ req: { path: '/api/v1/slots' } });
    const secret = 'f3b1c2d4e5f60718293a4b5c6d7e8f90';
    await api.http.get(`/api/v1/calendar-feeds/${secret}.ics`).set('X-Request-Id', 'trace-feed-1');
    expect((await lineOf('trace-feed-1')).req?.path).toBe('/api/v1/calendar-feeds/…');
    for (const leak of ['0611223344', '48.8566', 'patientPhone', secret]) expect({ leak, found: api.output.includes(leak) }).toEqual({ leak, found: false });
  });
});
