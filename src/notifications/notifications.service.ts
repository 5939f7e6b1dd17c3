import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { actorParams, auditListCte } from '../auth/audit.service';
import { Principal } from '../auth/roles';
import { notificationScope } from '../auth/scope';
import { AppConfig } from '../config/app-config';
import { LimitsService } from '../limits/limits.service';
import { preparedQuery } from '../database/prepared';
import { ConflictError, NotFoundError } from '../errors/domain-errors';
import { updateReturning } from '../database/returning';
import { ChannelKind, channelsFor, missingProviders, NotificationChannel } from './channels';
import { ListNotificationsQuery } from './dto/notifications.dto';
import { queuedFrom } from './notification-events';
import { REMINDERS_DUE_SQL } from './notification-rows';
import { NotificationsProducer } from './notifications.producer';
import { smsSegments } from './sms-segments';
import { BookingFacts, Message, renderBooking, renderRequest, RequestFacts, TemplateName } from './templates';

/** Reminders are written this far ahead of their send time (more than the minute between runs). */
const REMINDER_HORIZON_SECONDS = 180;

/** How long a sending run owns a row: another run of the same job waits this long before taking over. */
const CLAIM_SECONDS = 120;

/**
 * Claims a message and reads what its text needs, in one statement: the row is taken only while
 * queued, due, and not claimed by a run still within its claim; the attempt is counted there.
 */
const CLAIM_SQL = `
  WITH c AS (
    UPDATE notification SET attempts = attempts + 1, claimed_until = now() + $2 * interval '1 second', claim_token = gen_random_uuid()
     WHERE id = $1 AND status = 'queued' AND send_at <= now() + interval '1 second' AND (claimed_until IS NULL OR claimed_until < now())
    RETURNING id, template, channel, recipient, attempts, booking_id, request_id, claim_token, charged_to)
  SELECT c.*, b.status AS booking_status, b.booked_by_role, b.channel AS booking_channel, b.cancel_reason,
         coalesce(b.patient_first_name, r.patient_first_name) AS patient_first_name, coalesce(b.patient_last_name, r.patient_last_name) AS patient_last_name,
         coalesce(b.patient_phone, r.patient_phone) AS patient_phone,
         s.starts_at, s.modality, pr.first_name AS pr_first_name, pr.last_name AS pr_last_name,
         p.name AS practice_name, p.address AS practice_address, p.phone AS practice_phone,
         r.not_after, r.created_at AS request_created_at
    FROM c LEFT JOIN booking b ON b.id = c.booking_id LEFT JOIN slot s ON s.id = b.slot_id
    LEFT JOIN practitioner pr ON pr.id = s.practitioner_id LEFT JOIN practice p ON p.id = s.practice_id
    LEFT JOIN snp_request r ON r.id = c.request_id`;

/** Records a run's outcome, only while the row is still this run's (its claim token): a run whose claim lapsed writes nothing. */
const FINISH_SQL = `
  UPDATE notification SET status = $2, claimed_until = NULL, provider = coalesce($3, provider), provider_id = $4, segments = $5,
         last_error = coalesce($6, last_error), sent_at = CASE WHEN $2 = 'sent' THEN now() END, status_changed_at = now()
   WHERE id = $1 AND status = 'queued' AND claim_token = $7`;

/** The message, from the rows as the claim read them; null when a reminder's booking is no longer confirmed. */
function render(n: any): Message | null {
  const channel = n.channel as ChannelKind;
  const patient = { firstName: n.patient_first_name, lastName: n.patient_last_name, phone: n.patient_phone };
  if (n.request_id) {
    const facts: RequestFacts = { id: n.request_id, notAfter: n.not_after, createdAt: n.request_created_at, patient };
    return renderRequest('request_unmatched_originator', facts, channel);
  }
  // A reminder needs a booking still on; a confirmation, one not cancelled meanwhile.
  if (n.template === 'booking_reminder_patient' && n.booking_status !== 'confirmed') return null;
  if (n.template.startsWith('booking_confirmed') && n.booking_status === 'cancelled') return null;
  const facts: BookingFacts = {
    start: n.starts_at, modality: n.modality,
    practitioner: { firstName: n.pr_first_name, lastName: n.pr_last_name },
    practice: { name: n.practice_name, address: n.practice_address, phone: n.practice_phone },
    patient,
    bookedBy: { role: n.booking_channel === 'matching' ? 'matching' : n.booked_by_role },
    cancelReason: n.cancel_reason,
  };
  return renderBooking(n.template as Exclude<TemplateName, 'request_unmatched_originator'>, facts, channel);
}

export type DeliveryOutcome = 'sent' | 'outbox' | 'failed' | 'withdrawn' | 'done';

/** The error of a message a budget stopped (GET /notifications `error`, counted in /metrics). */
export const BUDGET_EXCEEDED = 'budget_exceeded';

/** Raised so that BullMQ retries the job after its backoff; the row says why. */
export class RetryLater extends Error {}

@Injectable()
export class NotificationsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationsService.name);
  private channelsCache?: Record<ChannelKind, NotificationChannel>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly producer: NotificationsProducer,
    private readonly limits: LimitsService,
  ) {}

  /** Built on first use, so API-only processes open no SMTP pool. */
  private get channels(): Record<ChannelKind, NotificationChannel> {
    return (this.channelsCache ??= channelsFor(this.config, this.logger));
  }

  /** Said at start, loudly in production: patients and practices are told nothing without providers. */
  onApplicationBootstrap(): void {
    const missing = missingProviders(this.config);
    if (!missing.length) return;
    if (this.config.NODE_ENV === 'production') this.logger.warn({ missing }, 'PRODUCTION WITHOUT MESSAGE PROVIDERS: messages go to the outbox file and reach nobody');
    else this.logger.log({ missing }, 'no message provider: messages go to the outbox file');
  }

  /** After the workers have finished their jobs (they stop in onModuleDestroy). */
  async onApplicationShutdown(): Promise<void> {
    if (this.channelsCache) await Promise.all(Object.values(this.channelsCache).map((c) => c.close?.()));
  }

  /**
   * Sends one message, once. The row is claimed by a conditional UPDATE (queued, due, and not
   * claimed by a run still within its claim), which also counts the attempt: a job run twice, or by
   * two workers, sends once; a run that died mid-send leaves the row to the next run once its
   * claim lapses. Throws RetryLater when the provider refused and attempts remain.
   */
  async deliver(id: string): Promise<DeliveryOutcome> {
    const [n] = await preparedQuery(this.dataSource, 'notification_claim_v4', CLAIM_SQL, [id, CLAIM_SECONDS]);
    if (!n) {
      // Still queued: another run holds it (or died holding it), or the job came early. Not done:
      // the job is retried after its backoff, by when the claim has ended one way or the other.
      const [row] = await this.dataSource.query(`SELECT status FROM notification WHERE id = $1`, [id]);
      if (row?.status === 'queued') throw new RetryLater('message pris par un autre envoi ou pas encore dû');
      return 'done';
    }

    const message = render(n);
    if (!message) {
      await this.finish(n, 'cancelled', {});
      this.logger.log({ notification: id, template: n.template }, 'notification withdrawn (booking cancelled meanwhile)');
      return 'withdrawn';
    }
    const channel = this.channels[n.channel as ChannelKind];
    // Charged once, on the first attempt, to whoever caused it and to the deployment: beyond a
    // budget it is not sent (whatever the channel), and retrying would not change that.
    if (n.attempts === 1 && (await this.limits.chargeMessage(n.charged_to)) === 'budget_exceeded') {
      await this.finish(n, 'failed', { provider: channel.provider, error: BUDGET_EXCEEDED });
      this.logger.warn({ notification: id, template: n.template, channel: n.channel }, 'notification not sent: message budget exceeded');
      return 'failed';
    }
    try {
      const { providerId } = await channel.send({ id, to: n.recipient, subject: message.subject, text: message.text });
      const segments = n.channel === 'sms' ? smsSegments(message.text).segments : null;
      // The outbox file is not a delivery: recorded as such, so the coordination never reads "sent".
      const outcome = channel.delivers ? 'sent' : 'outbox';
      await this.finish(n, outcome, { provider: channel.provider, providerId, segments });
      this.logger.log({ notification: id, template: n.template, channel: n.channel, provider: channel.provider, attempts: n.attempts }, `notification ${outcome === 'sent' ? 'sent' : 'written to the outbox'}`);
      return outcome;
    } catch (e) {
      const error = (e as Error).message.slice(0, 300);
      if (n.attempts >= this.config.NOTIFY_ATTEMPTS) {
        await this.finish(n, 'failed', { provider: channel.provider, error });
        this.logger.warn({ notification: id, template: n.template, channel: n.channel, attempts: n.attempts, err: error }, 'notification failed for good');
        return 'failed';
      }
      await this.dataSource.query(`UPDATE notification SET claimed_until = NULL, last_error = $2 WHERE id = $1 AND status = 'queued' AND claim_token = $3`, [
        id, error, n.claim_token,
      ]);
      this.logger.warn({ notification: id, template: n.template, channel: n.channel, attempts: n.attempts, err: error }, 'notification not accepted; retried later');
      throw new RetryLater(error);
    }
  }

  private finish(n: { id: string; claim_token: string }, status: 'sent' | 'outbox' | 'failed' | 'cancelled', o: { provider?: string; providerId?: string | null; segments?: number | null; error?: string }) {
    return preparedQuery(this.dataSource, 'notification_finish_v2', FINISH_SQL, [n.id, status, o.provider ?? null, o.providerId ?? null, o.segments ?? null, o.error ?? null, n.claim_token]);
  }

  /**
   * Every minute: writes the reminders coming due (REMINDERS_DUE_SQL) and queues them; re-adds
   * the jobs of due rows whose job is gone (Redis flushed or restarted); closes as failed the rows
   * whose attempts a dead run spent.
   */
  async reconcile(): Promise<{ reminders: number; requeued: number; failed: number }> {
    const [due] = await this.dataSource.query(REMINDERS_DUE_SQL, [this.config.NOTIFY_REMINDER_LEAD_SECONDS, REMINDER_HORIZON_SECONDS]);
    const reminders = queuedFrom(due.notifications);
    await this.producer.add(reminders);
    const failed = await updateReturning(
      this.dataSource,
      `UPDATE notification SET status = 'failed', claimed_until = NULL, status_changed_at = now(), last_error = coalesce(last_error, 'envoi interrompu')
        WHERE status = 'queued' AND attempts >= $1 AND (claimed_until IS NULL OR claimed_until < now()) RETURNING id`,
      [this.config.NOTIFY_ATTEMPTS],
    );
    const queued: { id: string; send_at: Date }[] = await this.dataSource.query(
      `SELECT id, send_at FROM notification
        WHERE status = 'queued' AND send_at <= now() + $1 * interval '1 second' AND (claimed_until IS NULL OR claimed_until < now())
        ORDER BY send_at LIMIT 10000`,
      [REMINDER_HORIZON_SECONDS],
    );
    const justQueued = new Set(reminders.map((r) => r.id));
    let requeued = 0;
    for (const n of queued) if (!justQueued.has(n.id) && (await this.producer.ensure({ id: n.id, sendAt: n.send_at }))) requeued++;
    if (reminders.length || requeued || failed.length) this.logger.log({ reminders: reminders.length, requeued, failed: failed.length }, 'notifications reconciled');
    return { reminders: reminders.length, requeued, failed: failed.length };
  }

  /**
   * `GET /notifications` (coordination: the route's roles), newest first: the messages of the
   * bookings and requests in the caller's scope. They carry patients' phone numbers: the reading is
   * audited (as a read of those bookings and requests) in the same statement.
   */
  /**
   * `POST /notifications/:id/retry` (coordination, admins): a failed message is queued again, its
   * attempts afresh, within the caller's scope (404 otherwise); 409 when it is not failed.
   */
  async retry(principal: Principal, id: string) {
    const scope = notificationScope(principal, 2);
    const rows = await updateReturning(
      this.dataSource,
      `UPDATE notification n SET status = 'queued', attempts = 0, claimed_until = NULL, send_at = now(), status_changed_at = now()
        WHERE n.id = $1 AND n.status = 'failed' AND ${scope.sql} RETURNING n.id, n.send_at`,
      [id, ...scope.params],
    );
    if (!rows.length) {
      const [row] = await this.dataSource.query(`SELECT n.status FROM notification n WHERE n.id = $1 AND ${scope.sql}`, [id, ...scope.params]);
      if (!row) throw new NotFoundError('Message');
      throw new ConflictError('not_failed', row.status === 'queued' ? 'Ce message est déjà en file d’envoi' : 'Ce message n’est pas en échec : il n’y a rien à renvoyer');
    }
    // Not awaited: the row is queued in Postgres; the reconciler re-adds a job Redis lost.
    void this.producer.add([{ id: rows[0].id, sendAt: rows[0].send_at }]);
    return { id, status: 'queued' as const };
  }

  async list(principal: Principal, q: ListNotificationsQuery) {
    const scope = notificationScope(principal, 5);
    const a = 5 + scope.params.length;
    const rows = await this.dataSource.query(
      `WITH v AS (
         SELECT n.id, n.channel, n.recipient, n.template, n.status, n.attempts, n.sent_at, n.send_at, n.created_at, n.booking_id, n.request_id,
                n.last_error, n.provider, n.provider_id, n.segments
           FROM notification n
          WHERE ($1::uuid IS NULL OR n.booking_id = $1) AND ($2::uuid IS NULL OR n.request_id = $2) AND ($3::text IS NULL OR n.status = $3) AND ${scope.sql}
          ORDER BY n.created_at DESC, n.id LIMIT $4),
       ${auditListCte('au_b', '(SELECT DISTINCT booking_id AS id FROM v WHERE booking_id IS NOT NULL) vb', 'booking', a)},
       ${auditListCte('au_r', '(SELECT DISTINCT request_id AS id FROM v WHERE request_id IS NOT NULL) vr', 'request', a)}
       SELECT * FROM v ORDER BY created_at DESC, id`,
      [q.bookingId ?? null, q.requestId ?? null, q.status ?? null, q.limit ?? 200, ...scope.params, ...actorParams(principal)],
    );
    return {
      notifications: rows.map((r: any) => ({
        id: r.id,
        channel: r.channel,
        to: r.recipient ?? undefined,
        template: r.template,
        status: r.status,
        attempts: r.attempts,
        sentAt: r.sent_at?.toISOString(),
        sendAt: r.send_at.toISOString(),
        createdAt: r.created_at.toISOString(),
        bookingId: r.booking_id ?? undefined,
        requestId: r.request_id ?? undefined,
        provider: r.provider ?? undefined,
        providerId: r.provider_id ?? undefined,
        segments: r.segments ?? undefined,
        error: r.last_error ?? undefined,
      })),
    };
  }
}
