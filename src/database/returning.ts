import { EntityManager } from 'typeorm';

/**
 * Runs an UPDATE/DELETE … RETURNING and gives its rows. TypeORM's postgres driver answers such
 * statements with [rows, affectedCount] (and plain SELECT/INSERT with rows), so a bare `.length`
 * on the result would always be 2: every conditional update goes through here.
 */
export async function updateReturning<T = any>(em: Pick<EntityManager, 'query'>, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = await em.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0];
  return result;
}
