import { ChildProcess, spawn } from 'child_process';
import { AddressInfo, createServer } from 'net';
import { join } from 'path';
import request from 'supertest';
import { TEST_ADMIN, testConfig } from './test-config';

const ROOT = join(__dirname, '..', '..');

/** A port nobody listens on, for a process to take. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * A second API process (`npm start`, from the TypeScript sources) on the test database and
 * queues, on a port of its own: what another replica behind the load balancer would be.
 */
export class ApiProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<ApiProcess> {
    const c = testConfig();
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: c.DATABASE_URL, REDIS_URL: c.REDIS_URL, QUEUE_PREFIX: c.QUEUE_PREFIX, MIGRATIONS_RUN: 'false', WORKERS_ENABLED: 'false',
        NODE_ENV: 'test', LOG_LEVEL: 'warn', REQUEST_LOGS: 'false', OUTBOX_DIR: c.OUTBOX_DIR, ADMIN_EMAIL: TEST_ADMIN.email, ADMIN_PASSWORD: TEST_ADMIN.password,
        LOGIN_RATE_LIMIT: String(c.LOGIN_RATE_LIMIT), PORT: String(port), HOST: '127.0.0.1',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const api = new ApiProcess(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the second API process exited with code ${child.exitCode}`);
      const up = await request(api.url).get('/health').then((r) => r.status, () => 0);
      if (up === 200) return api;
      if (Date.now() > deadline) {
        await api.stop();
        throw new Error('the second API process did not answer /health within 60 s');
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  get http() {
    return request(this.url);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
