import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { frenchCsv } from '../csv/french-csv';
import { AuditEventsQuery } from './dto/privacy.dto';

export interface AuditEventView {
  id: number;
  at: string;
  actorUserId?: string;
  actorApiKeyId?: string;
  actorRole: string;
  action: string;
  entity: string;
  entityId?: string;
  /** The records a list read showed. */
  entityIds?: string[];
  ip?: string;
  /** What a `retention` event of the trail itself says (where the chain now starts, how many events went). */
  detail?: string;
}

export interface ChainVerdict {
  ok: boolean;
  checked: number;
  /** The first event whose hash or link does not hold (changed, or the one after deleted ones). */
  firstBrokenId?: number;
  /** Its place in the chain, or the first place missing when the last events were deleted. */
  firstBrokenSeq?: number;
  reason?: string;
}

/** Every sealed event, its recomputed hash and its predecessor's, in chain order. */
const CHAIN_SQL = `
  SELECT a.id, a.seq, a.hash = sha256(a.prev_hash || convert_to(audit_event_text(a.id, a.seq, a.at, a.actor_user_id, a.actor_api_key_id,
           a.actor_role, a.action, a.entity, a.entity_id, a.entity_ids, a.ip, a.detail), 'UTF8')) AS intact,
         a.prev_hash, a.hash, lag(a.hash) OVER w AS before_hash, lag(a.seq) OVER w AS before_seq
    FROM audit_event a WHERE a.seq IS NOT NULL WINDOW w AS (ORDER BY a.seq)`;

const VERIFY_SQL = `
  WITH chain AS (SELECT * FROM audit_chain WHERE id = 1), e AS (${CHAIN_SQL})
  SELECT (SELECT count(*) FROM e)::int AS checked,
         (SELECT json_build_object('id', e.id, 'seq', e.seq, 'changed', e.intact IS NOT TRUE) FROM e, chain
           WHERE e.intact IS NOT TRUE OR e.prev_hash IS DISTINCT FROM coalesce(e.before_hash, chain.first_prev_hash)
              OR e.seq <> coalesce(e.before_seq + 1, chain.first_seq)
           ORDER BY e.seq LIMIT 1) AS broken,
         (SELECT max(seq) FROM e) AS tail_seq,
         (SELECT hash FROM e ORDER BY seq DESC LIMIT 1) = (SELECT last_hash FROM chain) AS tail_matches,
         (SELECT last_seq FROM chain) AS last_seq, (SELECT first_seq FROM chain) AS first_seq,
         (SELECT 'start=' || first_seq || ';prev=' || encode(first_prev_hash, 'hex') FROM chain) AS start,
         (SELECT detail FROM audit_event WHERE action = 'retention' AND entity = 'audit' AND seq IS NOT NULL ORDER BY seq DESC LIMIT 1) AS certified_start`;

/**
 * The audit trail as the DPO reads it (GET /audit-events, JSON or CSV) and checks it
 * (GET /audit-events/verify), and its retention (events older than AUDIT_RETENTION_DAYS deleted
 * from the start of the chain, whose new start is recorded so the rest still verifies).
 */
@Injectable()
export class AuditTrailService {
  private readonly logger = new Logger(AuditTrailService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(q: AuditEventsQuery): Promise<AuditEventView[]> {
    const rows = await this.dataSource.query(
      `SELECT id, at, actor_user_id, actor_api_key_id, actor_role, action, entity, entity_id, entity_ids, ip, detail FROM audit_event
        WHERE ($1::text IS NULL OR entity = $1)
          AND ($2::uuid IS NULL OR entity_id = $2 OR entity_ids @> ARRAY[$2::uuid])
          AND ($3::uuid IS NULL OR actor_user_id = $3)
          AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5)
        ORDER BY id DESC LIMIT $6`,
      [q.entity ?? null, q.entityId ?? null, q.actorUserId ?? null, q.from ?? null, q.to ?? null, q.limit ?? 1000],
    );
    return rows.map((r: any) => ({
      id: Number(r.id),
      at: r.at.toISOString(),
      actorUserId: r.actor_user_id ?? undefined,
      actorApiKeyId: r.actor_api_key_id ?? undefined,
      actorRole: r.actor_role,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id ?? undefined,
      entityIds: r.entity_ids ?? undefined,
      ip: r.ip ?? undefined,
      detail: r.detail ?? undefined,
    }));
  }

  csv(events: AuditEventView[]): string {
    return frenchCsv(
      ['id', 'at', 'actorUserId', 'actorApiKeyId', 'actorRole', 'action', 'entity', 'entityId', 'entityIds', 'ip'],
      events.map((e) => [e.id, e.at, e.actorUserId, e.actorApiKeyId, e.actorRole, e.action, e.entity, e.entityId, e.entityIds?.join(' '), e.ip]),
    );
  }

  /** Seals what is waiting, then checks every link of the chain and its two ends. */
  async verify(): Promise<ChainVerdict> {
    await this.audit.seal();
    const [row] = await this.dataSource.query(VERIFY_SQL);
    const checked: number = row.checked;
    if (row.broken) {
      return {
        ok: false, checked, firstBrokenId: Number(row.broken.id), firstBrokenSeq: Number(row.broken.seq),
        reason: row.broken.changed ? 'Cet événement a été modifié après son enregistrement' : 'Des événements manquent avant celui-ci (supprimés) ou la chaîne a été réordonnée',
      };
    }
    if (checked > 0 ? Number(row.tail_seq) !== Number(row.last_seq) || !row.tail_matches : Number(row.last_seq) >= Number(row.first_seq)) {
      const missing = checked > 0 ? Number(row.tail_seq) + 1 : Number(row.first_seq);
      return { ok: false, checked, firstBrokenSeq: missing, reason: `Les derniers événements de la chaîne (à partir du n° ${missing}) ont été supprimés` };
    }
    // A start moved from the first event must be the one the last retention run recorded in the chain.
    if (Number(row.first_seq) > 1 && !String(row.certified_start ?? '').startsWith(`${row.start};`)) {
      return { ok: false, checked, firstBrokenSeq: Number(row.first_seq), reason: 'Le début du journal a été supprimé ou déplacé sans passer par la rétention' };
    }
    return { ok: true, checked };
  }

  /** Deletes the events older than `days`, from the start of the chain, and moves its start. */
  async purge(days: number): Promise<number> {
    await this.audit.seal();
    return this.dataSource.transaction(async (em) => {
      const [chain] = await em.query(`SELECT first_seq, last_seq FROM audit_chain WHERE id = 1 FOR UPDATE`);
      const [{ upto }] = await em.query(
        `SELECT coalesce((SELECT min(seq) - 1 FROM audit_event WHERE seq IS NOT NULL AND at >= now() - $1 * interval '1 day'), $2::bigint) AS upto`,
        [days, chain.last_seq],
      );
      if (Number(upto) < Number(chain.first_seq)) return 0;
      const [last] = await em.query(`SELECT hash FROM audit_event WHERE seq = $1`, [upto]);
      if (!last) {
        // The event the new start would hang on is gone: a broken chain is kept as it is, for verify to show.
        this.logger.warn({ seq: Number(upto) }, 'audit retention skipped: the chain is broken where it would start');
        return 0;
      }
      const [{ n }] = await em.query(`WITH d AS (DELETE FROM audit_event WHERE seq <= $1 RETURNING 1) SELECT count(*)::int AS n FROM d`, [upto]);
      await em.query(`UPDATE audit_chain SET first_seq = $1 + 1, first_prev_hash = $2 WHERE id = 1`, [upto, last.hash]);
      // Where the chain now starts, said by the chain itself (verify checks the two agree).
      await em.query(
        `INSERT INTO audit_event (actor_role, action, entity, detail) VALUES ('system', 'retention', 'audit', 'start=' || ($1::bigint + 1) || ';prev=' || encode($2::bytea, 'hex') || ';deleted=' || $3)`,
        [upto, last.hash, n],
      );
      this.logger.log({ deleted: n, upToSeq: Number(upto) }, 'audit events past retention deleted');
      return n;
    });
  }
}
