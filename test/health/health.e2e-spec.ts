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

describe('health: message providers', () => {
  it('stays 200 without SMS and e-mail providers but names what is missing', async () => {
    const h = await Harness.start({ SMS_WEBHOOK_URL: undefined, SMTP_URL: undefined, NODE_ENV: 'production', MFA_REQUIRED: false });
    try {
      const res = await h.http.get('/health').expect(200);
      expect(res.body.info.messages).toMatchObject({ status: 'up', delivered: false });
      expect(res.body.info.messages.missing).toEqual([expect.stringContaining('SMS_WEBHOOK_URL'), expect.stringContaining('SMTP_URL')]);
    } finally {
      await h.close();
    }
  });

  it('says messages are delivered when both providers are set', async () => {
    const h = await Harness.start({ SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms', SMTP_URL: 'smtp://127.0.0.1:9', WORKERS_ENABLED: false });
    try {
      const res = await h.http.get('/health').expect(200);
      expect(res.body.info.messages).toEqual({ status: 'up', delivered: true });
    } finally {
      await h.close();
    }
  });
});
