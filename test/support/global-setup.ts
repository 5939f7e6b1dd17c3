import 'reflect-metadata';
import Redis from 'ioredis';
import { join } from 'path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/migrate';
import { CommunesService } from '../../src/directory/communes.service';
import { testConfig } from './test-config';

/** Once per run: migrate the test database and load the communes (official list + demo centres). */
export default async function globalSetup(): Promise<void> {
  const config = testConfig();
  await runMigrations(config);
  const ds = await new DataSource(dataSourceOptions(config)).initialize();
  try {
    // Each run starts from an empty territory so earlier runs' slots never crowd the searches.
    await ds.query(`TRUNCATE calendar_feed, sas_appointment_feed, notification, snp_request, audit_event, booking_event, booking, slot, slot_template, revoked_token, auth_challenge, mfa_recovery_code, psc_login, api_key, app_user, practitioner, practice, community`);
    await ds.query(`UPDATE audit_chain SET first_seq = 1, first_prev_hash = '\\x${'00'.repeat(32)}', last_seq = 0, last_hash = '\\x${'00'.repeat(32)}'`);
    const communes = new CommunesService(ds);
    await communes.ensureOfficialList();
    await communes.importCoordinates(join(__dirname, '..', '..', 'data', 'communes-demo.csv'));
  } finally {
    await ds.destroy();
  }
  // And from empty test queues: an earlier run's delayed jobs would point at rows that no longer exist.
  const redis = new Redis(config.REDIS_URL);
  try {
    const keys = await redis.keys(`${config.QUEUE_PREFIX}:*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  } finally {
    redis.disconnect();
  }
}
