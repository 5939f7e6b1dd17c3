import { Client } from 'pg';
import { AppConfig } from '../config/app-config';

/** Where DATABASE_URL points, for messages (never its password). */
function target(url: string): { host: string; database: string } {
  const u = new URL(url);
  return { host: `${u.hostname}:${u.port || 5432}`, database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres' };
}

/**
 * The database DATABASE_URL names, created when it does not exist yet and the server lets us (a
 * first run); otherwise one French sentence saying what to do, instead of a stack trace.
 */
export async function ensureDatabase(config: AppConfig): Promise<void> {
  const { host, database } = target(config.DATABASE_URL);
  const probe = new Client({ connectionString: config.DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await probe.connect();
    return;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== '3D000') throw new Error(startupMessage(e, config));
  } finally {
    await probe.end().catch(() => undefined);
  }
  // 3D000: the server answers but the database is missing. Ask the server's maintenance database to create it.
  const admin = new URL(config.DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    // eslint-disable-next-line no-console
    console.log(`Base de données « ${database} » créée sur ${host}.`);
  } catch (e) {
    // Created meanwhile by another process (replicas starting together): 42P04, or 23505 when both CREATEs ran at once.
    if (['42P04', '23505'].includes((e as { code?: string }).code ?? '')) return;
    throw new Error(`La base de données « ${database} » n’existe pas sur ${host} et n’a pas pu être créée (${(e as Error).message}) : créez-la (createdb ${database}) ou corrigez DATABASE_URL.`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** What went wrong at start, in one French sentence with what to do, when we recognise it. */
export function startupMessage(e: unknown, config: AppConfig): string {
  const err = e as { code?: string; message?: string; syscall?: string; port?: number };
  const db = (() => {
    try {
      return target(config.DATABASE_URL);
    } catch {
      return { host: 'DATABASE_URL', database: '?' };
    }
  })();
  if (err.code === 'EADDRINUSE') {
    return `Le port ${config.PORT} est déjà utilisé sur ${config.HOST} (un autre service, ou une démo déjà lancée) : arrêtez-le, ou choisissez un autre port avec PORT=${config.PORT + 1}.`;
  }
  if (err.code === 'ECONNREFUSED' && err.port === 6379) {
    return `Redis ne répond pas (${config.REDIS_URL}) : démarrez-le (npm run services), ou corrigez REDIS_URL.`;
  }
  if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'ETIMEDOUT') {
    return `PostgreSQL ne répond pas sur ${db.host} : démarrez-le (npm run services), ou corrigez DATABASE_URL.`;
  }
  if (err.code === '28P01' || err.code === '28000') {
    return `PostgreSQL refuse la connexion à « ${db.database} » sur ${db.host} (utilisateur ou mot de passe) : corrigez DATABASE_URL.`;
  }
  return err.message ?? String(e);
}
