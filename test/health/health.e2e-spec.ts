import { Harness } from '../support/harness';
import { createApp } from '../../src/app.factory';
import { testConfig } from '../support/test-config';
import request from 'supertest';

/** The operator's load balancer asks /health whether this replica can serve. */
describe('health', () => {
  it('answers 200 with Postgres and Redis up', async () => {
    const h = await Harness.start();
    try {
      const res = await h.http.get('/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, redis: { status: 'up' } } });
    } finally {
      await h.close();
    }
  });

  it('answers 503 when Redis does not answer', async () => {
    const app = await createApp(testConfig({ REDIS_URL: 'redis://127.0.0.1:1', WORKERS_ENABLED: false }));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    try {
      const res = await request(app.getHttpServer()).get('/health').expect(503);
      expect(res.body).toMatchObject({ statusCode: 503, error: 'service_unavailable' });
      expect(res.body.details).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'down' } });
    } finally {
      await app.close();
    }
  });
});
