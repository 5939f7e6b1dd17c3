import { ChildProcess, spawn } from 'child_process';
import Redis from 'ioredis';
import { freePort } from '../support/api-process';
import { startWorker } from '../support/worker';

/** A redis-server of its own on a free port, started with these extra arguments; answers PING when returned. */
async function startRedis(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const pong = await probe.connect().then(() => probe.ping(), () => null);
    probe.disconnect();
    if (pong === 'PONG') return { url, child };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
  clearTimeout(timer);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** The JSON lines a process wrote on stdout (pino), as they come. */
function jsonLines(child: ChildProcess): Array<Record<string, any>> {
  const lines: Array<Record<string, any>> = [];
  let rest = '';
  child.stdout!.on('data', (d: Buffer) => {
    const parts = (rest + d.toString('utf8')).split('\n');
    rest = parts.pop()!;
    for (const p of parts) {
      try {
        lines.push(JSON.parse(p));
      } catch {
        // not a log line
      }
    }
  });
  return lines;
}

async function until(done: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const isWarning = (l: Record<string, any>) => l.level === 40 && typeof l.msg === 'string' && l.msg.startsWith('Redis maxmemory-policy is ');

/**
 * BullMQ keeps jobs in plain Redis keys: a Redis allowed to evict them under memory pressure loses
 * jobs. A worker started against such a Redis says so in its log, once, with what to set; against
 * a `noeviction` Redis it says nothing. Each case runs a real redis-server of its own.
 */
describe('deploy: Redis eviction policy warning at start', () => {
  jest.setTimeout(120_000);

  /** Starts a worker against `redisArgs`; returns its log lines once it has started and asked Redis for its policy. */
  async function workerLog(redisArgs: string[], asks: 'config' | 'info'): Promise<Array<Record<string, any>>> {
    const redis = await startRedis(redisArgs);
    // How the test knows the worker has asked: CONFIG GET in Redis's command statistics (MONITOR
    // hides administrative commands; BullMQ never sends CONFIG), or INFO memory seen by MONITOR
    // (BullMQ's own INFO has no section).
    const admin = new Redis(redis.url);
    const monitor = await admin.monitor(); // a connection of its own
    let infoMemory = false;
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[0]?.toLowerCase() === 'info' && args[1]?.toLowerCase() === 'memory') infoMemory = true;
    });
    const asked = async () => (asks === 'info' ? infoMemory : /^cmdstat_config\|get:calls=[1-9]/m.test(await admin.info('commandstats')));
    const worker = startWorker({ REDIS_URL: redis.url, QUEUE_PREFIX: 'snp-deploytest-eviction', LOG_LEVEL: 'info' }, ['ignore', 'pipe', 'inherit']);
    const lines = jsonLines(worker);
    try {
      await until(() => lines.some((l) => l.msg === 'worker started'), 'the worker did not start');
      await until(asked, `the worker did not ask Redis for its policy (${asks})`, 10_000);
      // The answer is logged as soon as it comes: a second is plenty.
      await new Promise((r) => setTimeout(r, 1000));
      return lines;
    } finally {
      await stop(worker);
      monitor.disconnect();
      admin.disconnect();
      await stop(redis.child);
    }
  }

  it('warns, in English and with what to set, when maxmemory-policy is allkeys-lru', async () => {
    const lines = await workerLog(['--maxmemory-policy', 'allkeys-lru'], 'config');
    const warnings = lines.filter(isWarning);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ context: 'Redis', maxmemoryPolicy: 'allkeys-lru' });
    expect(warnings[0].msg).toContain('set it to noeviction');
    expect(warnings[0].msg).toContain('--maxmemory-policy noeviction');
  });

  it('reads the policy from INFO memory when CONFIG is refused (a managed Redis), and still warns', async () => {
    const lines = await workerLog(['--maxmemory-policy', 'volatile-lru', '--rename-command', 'CONFIG', ''], 'info');
    const warnings = lines.filter(isWarning);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ maxmemoryPolicy: 'volatile-lru' });
  });

  it('says nothing when maxmemory-policy is noeviction', async () => {
    const lines = await workerLog(['--maxmemory-policy', 'noeviction'], 'config');
    expect(lines.filter(isWarning)).toEqual([]);
    expect(lines.filter((l) => JSON.stringify(l).includes('maxmemory'))).toEqual([]);
  });
});
