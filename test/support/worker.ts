import { ChildProcess, spawn, StdioOptions } from 'child_process';
import { join } from 'path';
import { TEST_ADMIN, testConfig } from './test-config';

const ROOT = join(__dirname, '..', '..');

/**
 * `npm run start:worker`, from the TypeScript sources, as a process of its own on the test
 * database and queues; `env` adds to or overrides the test configuration.
 */
export function startWorker(env: Record<string, string> = {}, stdio: StdioOptions = ['ignore', 'ignore', 'inherit']): ChildProcess {
  const c = testConfig();
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'worker.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: c.DATABASE_URL, REDIS_URL: c.REDIS_URL, QUEUE_PREFIX: c.QUEUE_PREFIX, MIGRATIONS_RUN: 'false',
      NODE_ENV: 'test', LOG_LEVEL: 'warn', OUTBOX_DIR: c.OUTBOX_DIR, ADMIN_EMAIL: TEST_ADMIN.email, ADMIN_PASSWORD: TEST_ADMIN.password,
      ...env,
    },
    stdio,
  });
}
