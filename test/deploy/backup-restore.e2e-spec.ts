import { execFile } from 'child_process';
import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import Redis from 'ioredis';
import { DateTime } from 'luxon';
import { tmpdir } from 'os';
import { join } from 'path';
import { Client } from 'pg';
import request from 'supertest';
import { promisify } from 'util';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { AccountsService } from '../../src/auth/accounts.service';
import { seed } from '../../src/cli/demo';
import { DEMO_PASSWORD } from '../../src/cli/demo-territory';
import { ensureDatabase } from '../../src/database/startup-errors';
import { CommunesService } from '../../src/directory/communes.service';
import { DirectoryService } from '../../src/directory/directory.service';
import { SlotsService } from '../../src/slots/slots.service';
import { ApiProcess } from '../support/api-process';
import { testConfig } from '../support/test-config';

const run = promisify(execFile);
const API = '/api/v1';

/** DATABASE_URL of the test run with another database name. */
function databaseUrl(name: string): string {
  const url = new URL(testConfig().DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function sql(url: string, text: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** Every table's row count and checksum (its rows as text, in order), and every sequence's position. */
async function fingerprint(url: string): Promise<Record<string, string>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, string> = {};
    const tables = await client.query(`SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`);
    for (const { t } of tables.rows) {
      const [r] = (await client.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS sum FROM ${t} x`)).rows;
      out[t] = `${r.n} rows, md5 ${r.sum}`;
    }
    const sequences = await client.query(`SELECT format('%I.%I', schemaname, sequencename) AS s, last_value FROM pg_sequences WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`);
    for (const { s, last_value } of sequences.rows) out[`sequence ${s}`] = String(last_value);
    return out;
  } finally {
    await client.end();
  }
}

/** The secretary's search that both sides answer: tomorrow (Paris) around Châteaudun, whatever the time now. */
function tomorrowsSearch(): string {
  const day = DateTime.now().setZone('Europe/Paris').plus({ days: 1 }).startOf('day');
  const q = new URLSearchParams({ communeCode: '28088', from: day.toISO()!, to: day.endOf('day').toISO()!, maxDistanceKm: '60', limit: '100' });
  return `${API}/slots/search?${q}`;
}

const SECRETARY = { email: 'secretariat.chateaudun@demo.cpts.fr', password: DEMO_PASSWORD };

/**
 * The README's backup and restore, for real: the demo CPTS seeded (by the demo's own seeding),
 * `pg_dump -Fc`, `pg_restore` into a fresh database, the same rows on both sides, and the API
 * started on the restored database answering /health and the same signed-in search.
 */
describe('deploy: pg_dump / pg_restore round trip of the demo data', () => {
  jest.setTimeout(120_000);

  const id = randomUUID().slice(0, 8);
  const source = `snp_backup_${id}`;
  const restored = `snp_restored_${id}`;
  const prefix = `snp-deploytest-backup-${id}`;
  const dir = mkdtempSync(join(tmpdir(), 'snp-backup-'));
  const dump = join(dir, 'snp.dump');

  afterAll(async () => {
    for (const db of [source, restored]) await sql(databaseUrl('postgres'), `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
    const redis = new Redis(testConfig().REDIS_URL);
    try {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  });

  it('restores the same rows, and the API serves them', async () => {
    // The demo CPTS in a database of its own, migrated by the app as a first start would.
    const search = tomorrowsSearch();
    const config = testConfig({ DATABASE_URL: databaseUrl(source), MIGRATIONS_RUN: true, WORKERS_ENABLED: false, QUEUE_PREFIX: prefix });
    await ensureDatabase(config);
    const app = await createApp(config);
    let before: request.Response;
    try {
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      await seed(app.get(DataSource), app.get(CommunesService), app.get(DirectoryService), app.get(AccountsService), app.get(SlotsService));
      const http = () => request(app.getHttpServer());
      const token = (await http().post(`${API}/auth/login`).send(SECRETARY).expect(200)).body.accessToken;
      before = await http().get(search).set('Authorization', `Bearer ${token}`).expect(200);
    } finally {
      await app.close();
    }
    expect(before.body.results.length).toBeGreaterThan(5);

    // The README's commands.
    await run('pg_dump', ['-Fc', '-d', databaseUrl(source), '-f', dump]);
    await sql(databaseUrl('postgres'), `CREATE DATABASE ${restored}`);
    await run('pg_restore', ['--no-owner', '--exit-on-error', '-d', databaseUrl(restored), dump]);

    const [was, is] = [await fingerprint(databaseUrl(source)), await fingerprint(databaseUrl(restored))];
    expect(is).toEqual(was);
    for (const table of ['public.community', 'public.practice', 'public.practitioner', 'public.slot', 'public.app_user', 'public.commune', 'public.schema_migration']) {
      expect(was[table]).toMatch(/^[1-9]\d* rows/);
    }

    // The API on the restored database: healthy, the demo accounts sign in, the same answer.
    const api = await ApiProcess.start({ DATABASE_URL: databaseUrl(restored), QUEUE_PREFIX: prefix });
    try {
      await api.http.get('/health').expect(200);
      const token = (await api.http.post(`${API}/auth/login`).send(SECRETARY).expect(200)).body.accessToken;
      const after = await api.http.get(search).set('Authorization', `Bearer ${token}`).expect(200);
      expect(after.body).toEqual(before.body);
    } finally {
      await api.stop();
    }
  });
});
