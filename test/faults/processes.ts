import { ChildProcess, spawn } from 'child_process';
import { join } from 'path';
import request from 'supertest';
import { freePort, untilHealthy } from '../support/api-process';
import { serviceEnv } from '../support/test-config';

const DIST = join(__dirname, '..', '..', 'dist', 'src');

/**
 * A process of the service as production runs it: the build (`npm run test:faults` builds first),
 * `node dist/src/main.js` or `node dist/src/worker.js`, on the test database and queues unless
 * `env` says otherwise (a proxy's address). Its log lines (pino JSON) are kept for the story.
 */
export class ServiceProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;

  private constructor(
    readonly kind: 'api' | 'worker',
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    let partial = '';
    const keep = (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      this.lines.push(...parts.filter(Boolean));
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  }

  static async api(env: Record<string, string> = {}): Promise<ServiceProcess> {
    const port = await freePort();
    const p = ServiceProcess.spawn('api', { WORKERS_ENABLED: 'false', PORT: String(port), HOST: '127.0.0.1', ...env }, `http://127.0.0.1:${port}`);
    await untilHealthy(p.url, p.child, 'the API process').catch((e: Error) => {
      throw new Error(`${e.message}: ${p.lines.slice(-5).join('\n')}`);
    });
    return p;
  }

  /** A worker process; resolves once it has logged that it started. */
  static async worker(env: Record<string, string> = {}): Promise<ServiceProcess> {
    const p = ServiceProcess.spawn('worker', { LOG_LEVEL: 'info', ...env }, '');
    await p.waitForLog(/worker started/, 60_000);
    return p;
  }

  private static spawn(kind: 'api' | 'worker', env: Record<string, string>, url: string): ServiceProcess {
    const child = spawn(process.execPath, [join(DIST, kind === 'api' ? 'main.js' : 'worker.js')], {
      env: serviceEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(kind, child, url);
  }

  get http() {
    return request(this.url);
  }

  /** Log lines (parsed) whose message matches. */
  logs(msg: RegExp): any[] {
    return this.lines.flatMap((l) => {
      try {
        const j = JSON.parse(l);
        return msg.test(j.msg ?? '') ? [j] : [];
      } catch {
        return msg.test(l) ? [{ msg: l }] : [];
      }
    });
  }

  async waitForLog(msg: RegExp, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.logs(msg).length) {
      if (this.child.exitCode !== null) throw new Error(`the ${this.kind} process exited (${this.child.exitCode}) before logging ${msg}: ${this.lines.slice(-5).join('\n')}`);
      if (Date.now() > deadline) throw new Error(`the ${this.kind} process did not log ${msg} within ${ms} ms: ${this.lines.slice(-5).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Ends the process whatever its state (after a story). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const done = await Promise.race([this.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 30_000))]);
    if (!done) this.child.kill('SIGKILL');
  }
}
