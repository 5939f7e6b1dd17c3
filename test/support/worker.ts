import { ChildProcess, spawn, StdioOptions } from 'child_process';
import { join } from 'path';
import { serviceEnv } from './test-config';

const ROOT = join(__dirname, '..', '..');

/**
 * `npm run start:worker`, from the TypeScript sources, as a process of its own on the test
 * database and queues; `env` adds to or overrides the test configuration.
 */
export function startWorker(env: Record<string, string> = {}, stdio: StdioOptions = ['ignore', 'ignore', 'inherit']): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'worker.ts')], {
    cwd: ROOT,
    env: serviceEnv(env),
    stdio,
  });
}
