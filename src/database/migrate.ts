import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

const MIGRATION_LOCK = 727_001; // pg advisory lock id: one replica migrates, the others wait

/** Applies pending migrations under an advisory lock, so replicas starting together migrate once. */
export async function runMigrations(config: AppConfig): Promise<string[]> {
  const ds = new DataSource({ ...dataSourceOptions(config), extra: { max: 1 } });
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const done = await ds.runMigrations({ transaction: 'each' });
    if (done.length) new Logger('Migrations').log({ applied: done.map((m) => m.name) }, 'migrations applied');
    return done.map((m) => m.name);
  } finally {
    await ds.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await ds.destroy();
  }
}
