import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Runs a hot statement as a named prepared statement on TypeORM's own pg pool: PostgreSQL parses
 * and plans it once per connection instead of on every call (planning the booking statement costs
 * more than running it). Only for statements whose plan does not depend on the values: lookups by
 * key, and the slot search (whose plan is the same wherever it looks).
 */
export async function preparedQuery<T = any>(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const result = await pool.query({ name, text, values });
  return result.rows as T[];
}
