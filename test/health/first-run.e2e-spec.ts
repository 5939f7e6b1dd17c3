import { spawn } from 'child_process';
import { randomUUID } from 'crypto';
import { createServer, Server } from 'net';
import { join } from 'path';
import { Client } from 'pg';
import { ApiProcess, freePort } from '../support/api-process';
import { testConfig } from '../support/test-config';

const ROOT = join(__dirname, '..', '..');

/** Runs `src/main.ts` with these settings until it exits (or 60 s): its exit code and what it wrote on stderr. */
function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const c = testConfig();
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'main.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: c.DATABASE_URL, REDIS_URL: c.REDIS_URL, MIGRATIONS_RUN: 'false', WORKERS_ENABLED: 'false', NODE_ENV: 'test', LOG_LEVEL: 'warn', REQUEST_LOGS: 'false', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/**
 * A first run without surprises: a database that does not exist yet is created; a busy port or an
 * unreachable database is said in one French sentence with what to do, never a stack trace.
 */
describe('first run: the database and the port', () => {
  // Each story starts the service from its TypeScript sources.
  jest.setTimeout(120_000);

  it('creates the database DATABASE_URL names when it does not exist, then serves', async () => {
    const name = `snp_first_run_${randomUUID().slice(0, 8)}`;
    const url = new URL(testConfig().DATABASE_URL);
    url.pathname = `/${name}`;
    const api = await ApiProcess.start({ DATABASE_URL: url.toString(), MIGRATIONS_RUN: 'true', QUEUE_PREFIX: `snp-test-${name}` });
    try {
      await api.http.get('/health').expect(200);
    } finally {
      await api.stop();
      const admin = new Client({ connectionString: testConfig().DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('says which port is busy and which variable to set', async () => {
    const port = await freePort();
    const squatter: Server = createServer();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', () => r()));
    try {
      const { code, stderr } = await runUntilExit({ PORT: String(port) });
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(`Le port ${port} est déjà utilisé sur 127.0.0.1 (un autre service, ou une démo déjà lancée) : arrêtez-le, ou choisissez un autre port avec PORT=${port + 1}.`);
    } finally {
      squatter.close();
    }
  });

  it('says, in one sentence, that PostgreSQL does not answer', async () => {
    const { code, stderr } = await runUntilExit({ DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/snp`, PORT: String(await freePort()) });
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^PostgreSQL ne répond pas sur 127\.0\.0\.1:\d+ : démarrez-le \(npm run services\), ou corrigez DATABASE_URL\.$/);
  });
});
