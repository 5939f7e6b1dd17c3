import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { preparedQuery } from '../database/prepared';
import { updateReturning } from '../database/returning';
import { ConflictError, NotFoundError } from '../errors/domain-errors';
import { IDNPS_SYSTEM } from '../fhir/fhir-codes';
import { RetryLater } from '../notifications/notifications.service';
import { appointmentIdSystem, toFhirAppointment } from './sas-appointment';
import { SasClient } from './sas-client';
import { SasFeedProducer } from './sas-feed.producer';

/** How long a sending run owns a row (more than a call's timeout): another run waits this long before taking over. */
const CLAIM_SECONDS = 150;

/**
 * Claims one change to report, with what its Appointment needs, in one statement. Taken only while
 * queued, not claimed by a run still within its claim, and when no earlier change of the same
 * appointment is still waiting: changes of one appointment reach the SAS in the order they were
 * made. The attempt is counted there. `first`: the appointment's first change, never sent before;
 * `untried`: no attempt of it has failed yet (then it is created by POST).
 */
const CLAIM_SQL = `
  WITH c AS (
    UPDATE sas_appointment_feed f SET attempts = attempts + 1, claimed_until = now() + $2 * interval '1 second', claim_token = gen_random_uuid()
     WHERE f.id = $1 AND f.status = 'queued' AND (f.claimed_until IS NULL OR f.claimed_until < now())
       AND NOT EXISTS (SELECT 1 FROM sas_appointment_feed e WHERE e.booking_id = f.booking_id AND e.seq < f.seq AND e.status = 'queued')
    RETURNING f.id, f.seq, f.booking_id, f.appointment_status, f.attempts, f.claim_token, f.attempts = 1 AND f.last_error IS NULL AS untried)
  SELECT c.*, NOT EXISTS (SELECT 1 FROM sas_appointment_feed e WHERE e.booking_id = c.booking_id AND (e.seq < c.seq OR e.status = 'sent')) AS first,
         b.created_at, s.starts_at, s.ends_at, pr.rpps, u.sas_id_system, u.sas_id_value, u.rpps AS operator_rpps
    FROM c JOIN booking b ON b.id = c.booking_id JOIN slot s ON s.id = b.slot_id JOIN practitioner pr ON pr.id = s.practitioner_id
    LEFT JOIN app_user u ON u.id = b.booked_by_user_id`;

/** Records a run's outcome, only while the row is still this run's (its claim token). */
const FINISH_SQL = `
  UPDATE sas_appointment_feed SET status = $2, claimed_until = NULL, http_status = $3, last_error = $4,
         sent_at = CASE WHEN $2 = 'sent' THEN now() END, status_changed_at = now()
   WHERE id = $1 AND status = 'queued' AND claim_token = $5`;

/** The SAS answers 2xx: done. These mean "later" (timeout, conflict, rate limit, its own trouble); any other 4xx is final. */
const RETRYABLE = (status: number) => status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;

export type FeedOutcome = 'sent' | 'failed' | 'done';

export const SAS_FEED_STATUSES = ['queued', 'sent', 'failed'] as const;

/** Why a change could not be reported: the regulator has no identity the SAS knows. */
export const OPERATOR_UNKNOWN = 'Le régulateur qui a pris ce rendez-vous n’a pas d’identité SAS (IDNPS ou identifiant SAS) : rendez-vous non transmis';

/**
 * The appointment feed (INT_R03): every booking a regulator made from the SAS, and each of its
 * changes, reported to the SAS platform. Same guarantees as the messages: the row is written by the
 * statement that changed the booking; a job per row (job id = row id) sends it; at least once, a
 * retry being a conditional PUT (idempotent: the SAS creates on an unknown identifier); exponential
 * retries; `failed` rows listed for admins and counted in /metrics; the reconciler re-adds jobs
 * Redis lost.
 */
@Injectable()
export class SasFeedService implements OnApplicationShutdown {
  private readonly logger = new Logger(SasFeedService.name);
  private clientCache?: SasClient;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly producer: SasFeedProducer,
  ) {}

  /** Built on first use, so a process that sends nothing opens no connection. */
  private get client(): SasClient {
    return (this.clientCache ??= new SasClient(this.config));
  }

  /** After the workers have finished their jobs (they stop in onModuleDestroy). */
  async onApplicationShutdown(): Promise<void> {
    await this.clientCache?.close();
  }

  /**
   * Sends one change, once: claimed by a conditional UPDATE (which also counts the attempt), sent,
   * recorded under the claim. Throws RetryLater while an earlier change of the same appointment
   * waits, or when the SAS refused for now and attempts remain.
   */
  async deliver(id: string): Promise<FeedOutcome> {
    if (!this.config.SAS_FHIR_URL) return 'done';
    const [row] = await preparedQuery(this.dataSource, 'sas_feed_claim_v1', CLAIM_SQL, [id, CLAIM_SECONDS]);
    if (!row) {
      const [state] = await this.dataSource.query(`SELECT status FROM sas_appointment_feed WHERE id = $1`, [id]);
      if (state?.status === 'queued') throw new RetryLater('un changement plus ancien du même rendez-vous attend, ou un autre envoi le tient');
      return 'done';
    }
    const operator = row.sas_id_value ? { system: row.sas_id_system, value: row.sas_id_value } : row.operator_rpps ? { system: IDNPS_SYSTEM, value: `8${row.operator_rpps}` } : null;
    if (!operator) {
      await this.finish(row, 'failed', null, OPERATOR_UNKNOWN);
      this.logger.warn({ feedRow: id, booking: row.booking_id }, 'SAS appointment not sent: the regulator has no SAS identity');
      return 'failed';
    }
    const idSystem = appointmentIdSystem(this.config);
    const body = toFhirAppointment(
      { bookingId: row.booking_id, status: row.appointment_status, start: row.starts_at, end: row.ends_at, created: row.created_at, rpps: row.rpps, operator },
      idSystem,
    );
    // Created by POST the first time; any later change — or a retry, whose first try may have
    // reached the SAS unanswered — by a conditional PUT, which the SAS applies or creates.
    const method = row.first && row.untried ? 'POST' : 'PUT';
    let status: number | null = null;
    let error: string | null;
    try {
      const answer = await this.client.send(method, { system: idSystem, value: row.booking_id }, body);
      status = answer.status;
      if (status >= 200 && status < 300) {
        await this.finish(row, 'sent', status, null);
        this.logger.log({ feedRow: id, booking: row.booking_id, appointmentStatus: row.appointment_status, method, httpStatus: status, attempts: row.attempts }, 'appointment reported to the SAS');
        return 'sent';
      }
      error = `HTTP ${status}${answer.reason ? ` : ${answer.reason}` : ''}`;
    } catch (e) {
      error = (e as Error).message.slice(0, 300);
    }
    if ((status !== null && !RETRYABLE(status)) || row.attempts >= this.config.SAS_FEED_ATTEMPTS) {
      await this.finish(row, 'failed', status, error);
      this.logger.warn({ feedRow: id, booking: row.booking_id, method, httpStatus: status, attempts: row.attempts, err: error }, 'SAS appointment failed for good');
      return 'failed';
    }
    await this.dataSource.query(`UPDATE sas_appointment_feed SET claimed_until = NULL, http_status = $2, last_error = $3 WHERE id = $1 AND status = 'queued' AND claim_token = $4`, [
      id, status, error, row.claim_token,
    ]);
    this.logger.warn({ feedRow: id, booking: row.booking_id, method, httpStatus: status, attempts: row.attempts, err: error }, 'SAS did not take the appointment; retried later');
    throw new RetryLater(error ?? 'refusé');
  }

  private finish(row: { id: string; claim_token: string }, status: 'sent' | 'failed', httpStatus: number | null, error: string | null) {
    return preparedQuery(this.dataSource, 'sas_feed_finish_v1', FINISH_SQL, [row.id, status, httpStatus, error, row.claim_token]);
  }

  /**
   * Every minute: closes as failed the rows whose attempts a dead run spent, and re-adds the jobs of
   * queued rows whose job is gone (Redis flushed or restarted, a job that gave up waiting).
   */
  async reconcile(): Promise<{ requeued: number; failed: number }> {
    const failed = await updateReturning(
      this.dataSource,
      `UPDATE sas_appointment_feed SET status = 'failed', claimed_until = NULL, status_changed_at = now(), last_error = coalesce(last_error, 'envoi interrompu')
        WHERE status = 'queued' AND attempts >= $1 AND (claimed_until IS NULL OR claimed_until < now()) RETURNING id`,
      [this.config.SAS_FEED_ATTEMPTS],
    );
    const queued: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM sas_appointment_feed WHERE status = 'queued' AND (claimed_until IS NULL OR claimed_until < now()) ORDER BY seq LIMIT 10000`,
    );
    let requeued = 0;
    for (const r of queued) if (await this.producer.ensure(r.id)) requeued++;
    if (requeued || failed.length) this.logger.log({ requeued, failed: failed.length }, 'SAS feed reconciled');
    return { requeued, failed: failed.length };
  }

  /** `GET /sas-appointments` (admins): the changes reported, or to report, newest first. No patient data in them. */
  async list(q: { status?: string; bookingId?: string; limit?: number }) {
    const rows = await this.dataSource.query(
      `SELECT id, booking_id, appointment_status, status, attempts, http_status, last_error, created_at, sent_at FROM sas_appointment_feed
        WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR booking_id = $2) ORDER BY seq DESC LIMIT $3`,
      [q.status ?? null, q.bookingId ?? null, q.limit ?? 200],
    );
    return {
      appointments: rows.map((r: any) => ({
        id: r.id,
        bookingId: r.booking_id,
        appointmentStatus: r.appointment_status,
        status: r.status,
        attempts: r.attempts,
        httpStatus: r.http_status ?? undefined,
        error: r.last_error ?? undefined,
        createdAt: r.created_at.toISOString(),
        sentAt: r.sent_at?.toISOString(),
      })),
    };
  }

  /** `POST /sas-appointments/:id/retry` (admins): a failed change is queued again (its attempts start afresh). */
  async retry(id: string) {
    const rows = await updateReturning(
      this.dataSource,
      `UPDATE sas_appointment_feed SET status = 'queued', attempts = 0, claimed_until = NULL, status_changed_at = now() WHERE id = $1 AND status = 'failed' RETURNING id`,
      [id],
    );
    if (!rows.length) {
      const [row] = await this.dataSource.query(`SELECT status FROM sas_appointment_feed WHERE id = $1`, [id]);
      if (!row) throw new NotFoundError('Rendez-vous transmis au SAS');
      throw new ConflictError('not_failed', row.status === 'sent' ? 'Ce changement a déjà été transmis au SAS' : 'Ce changement est déjà en file d’envoi');
    }
    // Not awaited: the row is queued in Postgres; the reconciler re-adds a job Redis lost.
    void this.producer.add([id]);
    return { id, status: 'queued' };
  }
}
