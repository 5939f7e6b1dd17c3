import { createSecretKey, KeyObject } from 'crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';

/**
 * The key access tokens are signed with: JWT_SECRET when set; otherwise a random 64-byte key the
 * database generates on first start and keeps (table signing_key), so every API process and every
 * restart signs and verifies with the same key, and no built-in default exists to forge tokens with.
 * Rotating it (deleting the row, or changing JWT_SECRET) ends every session.
 */
export async function loadSigningKey(config: AppConfig, dataSource: DataSource): Promise<KeyObject> {
  if (config.JWT_SECRET) return createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8'));
  await dataSource.query(`INSERT INTO signing_key (id, secret) VALUES (1, gen_random_bytes(64)) ON CONFLICT (id) DO NOTHING`);
  const [{ secret }] = await dataSource.query(`SELECT secret FROM signing_key WHERE id = 1`);
  return createSecretKey(secret as Buffer);
}
