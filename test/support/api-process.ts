import { ChildProcess, spawn } from 'child_process';
import { AddressInfo, createServer } from 'net';
import { join } from 'path';
import request from 'supertest';
import { serviceEnv } from './test-config';

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

/** Resolves once `url`/health answers 200; fails (the process killed) when `child` exits or after 60 s. */
export async function untilHealthy(url: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    if ((await request(url).get('/health').then((r) => r.status, () => 0)) === 200) return;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${what} did not answer /health within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A second API process (`npm start`, from the TypeScript sources) on the test database and
 * queues, on a port of its own: what another replica behind the load balancer would be.
 */
export class ApiProcess {
  /** What the process wrote to its standard output (its logs), so far. */
  output = '';

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (d) => (this.output += d));
  }

  static async start(env: Record<string, string> = {}): Promise<ApiProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'main.ts')], {
      cwd: ROOT,
      env: serviceEnv({ WORKERS_ENABLED: 'false', PORT: String(port), HOST: '127.0.0.1', ...env }),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const api = new ApiProcess(child, `http://127.0.0.1:${port}`);
    await untilHealthy(api.url, child, 'the second API process');
    return api;
  }

  get http() {
    return request(this.url);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
