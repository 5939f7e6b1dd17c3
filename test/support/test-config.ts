import { tmpdir } from 'os';
import { join } from 'path';
import { AppConfig, loadConfig } from '../../src/config/app-config';

export const TEST_ADMIN = { email: 'admin@test.cpts.local', password: 'admin-test-password' };

/** The app's configuration for tests: its own database and queue prefix on the real local servers. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return loadConfig(
    {
      ...process.env,
      DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/snp_test',
      REDIS_URL: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    },
    {
      NODE_ENV: 'test',
      MIGRATIONS_RUN: false,
      REQUEST_LOGS: false,
      LOG_LEVEL: 'warn',
      // TEST_QUEUE_PREFIX: a second test run beside this one (its own database too, TEST_DATABASE_URL).
      QUEUE_PREFIX: process.env.TEST_QUEUE_PREFIX ?? 'snp-test',
      ADMIN_EMAIL: TEST_ADMIN.email,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      LOGIN_RATE_LIMIT: 10000,
      // The national geocoder is the internet: stories that need one start a local fake.
      GEOCODER_URL: 'off',
      // Without a provider, messages go to an outbox file: a temporary one, not the working copy.
      OUTBOX_DIR: join(tmpdir(), 'snp-test-outbox'),
      ...overrides,
    },
  );
}

/**
 * The environment of a service process a story starts (an API or a worker, from the sources or the
 * build): the test configuration's database, Redis, queue prefix and accounts; `env` adds or overrides.
 */
export function serviceEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const c = testConfig();
  return {
    ...process.env,
    DATABASE_URL: c.DATABASE_URL, REDIS_URL: c.REDIS_URL, QUEUE_PREFIX: c.QUEUE_PREFIX, MIGRATIONS_RUN: 'false',
    NODE_ENV: 'test', LOG_LEVEL: 'warn', REQUEST_LOGS: 'false', OUTBOX_DIR: c.OUTBOX_DIR, GEOCODER_URL: c.GEOCODER_URL,
    ADMIN_EMAIL: TEST_ADMIN.email, ADMIN_PASSWORD: TEST_ADMIN.password, LOGIN_RATE_LIMIT: String(c.LOGIN_RATE_LIMIT),
    ...env,
  };
}
