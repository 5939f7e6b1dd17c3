import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from './roles';

/** What an audit event is about (API contract). */
export type AuditEntity = 'booking' | 'request' | 'slot' | 'user' | 'api_key' | 'patient' | 'audit';

/** Rows sealed per call: a backlog is worked through a few thousand at a time, each call one short transaction. */
const SEAL_BATCH = 5000;
const SEAL_EVERY_MS = 1000;

/** The audit columns of an event, from a principal: actor_user_id, actor_api_key_id, actor_role, ip. */
export function actorParams(p: Principal): [string | null, string | null, string, string | null] {
  return [p.kind === 'user' ? p.id : null, p.kind === 'api_key' ? p.id : null, p.role, p.ip ?? null];
}

/**
 * A CTE (for statements that read or change patient data in one round trip) inserting one audit
 * event per row of `source` (which has an `id` column); $a…$a+3 are actorParams(), then the action.
 */
export function auditRowsCte(name: string, source: string, entity: AuditEntity, firstParam: number): string {
  const [u, k, r, ip, action] = [0, 1, 2, 3, 4].map((i) => `$${firstParam + i}`);
  return `${name} AS (
    INSERT INTO audit_event (actor_user_id, actor_api_key_id, actor_role, ip, action, entity, entity_id)
    SELECT ${u}::uuid, ${k}::uuid, ${r}::text, ${ip}::text, ${action}::text, '${entity}', id FROM ${source})`;
}

/**
 * A CTE inserting one audit event for a list read, naming every record shown (`entity_ids`);
 * $a…$a+3 are actorParams(). Nothing is written when the list is empty.
 */
export function auditListCte(name: string, source: string, entity: AuditEntity, firstParam: number): string {
  const [u, k, r, ip] = [0, 1, 2, 3].map((i) => `$${firstParam + i}`);
  return `${name} AS (
    INSERT INTO audit_event (actor_user_id, actor_api_key_id, actor_role, ip, action, entity, entity_ids)
    SELECT ${u}::uuid, ${k}::uuid, ${r}::text, ${ip}::text, 'read', '${entity}', array_agg(id) FROM ${source} HAVING count(*) > 0)`;
}

/**
 * Who read or changed patient data or accounts, when, from where (never the data itself). Events
 * are written by the statements that do the work (or here, in the caller's transaction), and
 * sealed into the hash chain within about a second by every process (see migration AuditTrail).
 */
@Injectable()
export class AuditService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private timer?: NodeJS.Timeout;
  private sealing?: Promise<number>;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.seal().catch((e) => this.logger.warn({ err: (e as Error).message }, 'audit sealing failed; retried')), SEAL_EVERY_MS);
    this.timer.unref();
  }

  /** Before the database pool closes: no new seal, and the one under way finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sealing?.catch(() => undefined);
  }

  async record(principal: Principal, action: string, entity: AuditEntity, entityId: string | null, em?: Pick<EntityManager, 'query'>): Promise<void> {
    await (em ?? this.dataSource).query(
      `INSERT INTO audit_event (actor_user_id, actor_api_key_id, actor_role, ip, action, entity, entity_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [...actorParams(principal), action, entity, entityId],
    );
  }

  /** A list read: one event naming every record shown (none when nothing was shown). */
  async recordList(principal: Principal, entity: AuditEntity, ids: string[], em?: Pick<EntityManager, 'query'>): Promise<void> {
    if (!ids.length) return;
    await (em ?? this.dataSource).query(
      `INSERT INTO audit_event (actor_user_id, actor_api_key_id, actor_role, ip, action, entity, entity_ids) VALUES ($1, $2, $3, $4, 'read', $5, $6::uuid[])`,
      [...actorParams(principal), entity, ids],
    );
  }

  /** Chains every committed event not yet sealed; how many were. One sealer at a time per process. */
  seal(): Promise<number> {
    return (this.sealing ??= (async () => {
      let total = 0;
      try {
        for (;;) {
          const [{ n }] = await this.dataSource.query(`SELECT audit_seal($1) AS n`, [SEAL_BATCH]);
          total += n;
          if (n < SEAL_BATCH) return total;
        }
      } finally {
        this.sealing = undefined;
      }
    })());
  }
}
