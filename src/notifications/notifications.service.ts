import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isCoordination, Principal } from '../auth/roles';
import { AppConfig } from '../config/app-config';
import { ForbiddenError } from '../errors/domain-errors';
import { updateReturning } from '../database/returning';
import { ChannelKind, channelsFor, NotificationChannel } from './channels';
import { ListNotificationsQuery } from './dto/notifications.dto';
import { NotificationsProducer } from './notifications.producer';
import { smsSegments } from './sms-segments';
import { BookingFacts, Message, renderBooking, renderRequest, RequestFacts, TemplateName } from './templates';

/** How long a sending run owns a row: another run of the same job waits this long before taking over. */
const CLAIM_SECONDS = 120;

export type DeliveryOutcome = 'sent' | 'retry' | 'failed' | 'withdrawn' | 'not_due' | 'done';

/** Raised so that BullMQ retries the job after its backoff; the row says why. */
export class RetryLater extends Error {}

@Injectable()
export class NotificationsService implements OnModuleDestroy {
  private readonly logger = new Logger(NotificationsService.name);
  private channelsCache?: Record<ChannelKind, NotificationChannel>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly producer: NotificationsProducer,
  ) {}

  /** Built on first use, so API-only processes open no SMTP pool. */
  private get channels(): Record<ChannelKind, NotificationChannel> {
    return (this.channelsCache ??= channelsFor(this.config, this.logger));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.channelsCache) await Promise.all(Object.values(this.channelsCache).map((c) => c.close?.()));
  }

  /**
   * Sends one message, once. The row is claimed by a conditional UPDATE (queued, due, and not
   * claimed by a run still within its claim), which also counts the attempt: a job run twice, or by
   * two workers, sends once; a run that died mid-send leaves the row to the next run once its
   * claim lapses. Throws RetryLater when the provider refused and attempts remain.
   */
  async deliver(id: string): Promise<DeliveryOutcome> {
    const [n] = await updateReturning(
      this.dataSource,
      `UPDATE notification SET attempts = attempts + 1, claimed_until = now() + $2 * interval '1 second'
        WHERE id = $1 AND status = 'queued' AND send_at <= now() + interval '1 second' AND (claimed_until IS NULL OR claimed_until < now())
        RETURNING *`,
      [id, CLAIM_SECONDS],
    );
    if (!n) {
      const [row] = await this.dataSource.query(`SELECT status, send_at > now() AS early FROM notification WHERE id = $1`, [id]);
      return row?.status === 'queued' && row.early ? 'not_due' : 'done';
    }

    const message = await this.render(n);
    if (!message) {
      await this.finish(id, 'cancelled', {});
      this.logger.log({ notification: id, template: n.template }, 'notification withdrawn (booking no longer confirmed)');
      return 'withdrawn';
    }
    const channel = this.channels[n.channel as ChannelKind];
    try {
      const { providerId } = await channel.send({ id, to: n.recipient, subject: message.subject, text: message.text });
      const segments = n.channel === 'sms' ? smsSegments(message.text).segments : null;
      await this.finish(id, 'sent', { provider: channel.provider, providerId, segments });
      this.logger.log({ notification: id, template: n.template, channel: n.channel, provider: channel.provider, attempts: n.attempts }, 'notification sent');
      return 'sent';
    } catch (e) {
      const error = (e as Error).message.slice(0, 300);
      if (n.attempts >= this.config.NOTIFY_ATTEMPTS) {
        await this.finish(id, 'failed', { provider: channel.provider, error });
        this.logger.warn({ notification: id, template: n.template, channel: n.channel, attempts: n.attempts, err: error }, 'notification failed for good');
        return 'failed';
      }
      await this.dataSource.query(`UPDATE notification SET claimed_until = NULL, last_error = $2 WHERE id = $1`, [id, error]);
      this.logger.warn({ notification: id, template: n.template, channel: n.channel, attempts: n.attempts, err: error }, 'notification not accepted; retried later');
      throw new RetryLater(error);
    }
  }

  private finish(id: string, status: 'sent' | 'failed' | 'cancelled', o: { provider?: string; providerId?: string | null; segments?: number | null; error?: string }) {
    return this.dataSource.query(
      `UPDATE notification SET status = $2, claimed_until = NULL, provider = coalesce($3, provider), provider_id = $4, segments = $5,
              last_error = coalesce($6, last_error), sent_at = CASE WHEN $2 = 'sent' THEN now() END, status_changed_at = now()
        WHERE id = $1`,
      [id, status, o.provider ?? null, o.providerId ?? null, o.segments ?? null, o.error ?? null],
    );
  }

  /** The message, from the rows as they are now; null when a reminder's booking is no longer confirmed. */
  private async render(n: any): Promise<Message | null> {
    const channel = n.channel as ChannelKind;
    if (n.request_id) {
      const [r] = await this.dataSource.query(`SELECT id, not_after, created_at, patient_first_name, patient_last_name, patient_phone FROM snp_request WHERE id = $1`, [n.request_id]);
      const facts: RequestFacts = {
        id: r.id, notAfter: r.not_after, createdAt: r.created_at,
        patient: { firstName: r.patient_first_name, lastName: r.patient_last_name, phone: r.patient_phone },
      };
      return renderRequest('request_unmatched_originator', facts, channel);
    }
    const [b] = await this.dataSource.query(
      `SELECT b.status, b.patient_first_name, b.patient_last_name, b.patient_phone, b.booked_by_role, b.channel, b.cancel_reason,
              s.starts_at, s.ends_at, s.modality, pr.first_name, pr.last_name, pr.profession, p.name, p.address, p.phone
         FROM booking b JOIN slot s ON s.id = b.slot_id JOIN practitioner pr ON pr.id = s.practitioner_id JOIN practice p ON p.id = s.practice_id
        WHERE b.id = $1`,
      [n.booking_id],
    );
    if (n.template === 'booking_reminder_patient' && b.status !== 'confirmed') return null;
    const facts: BookingFacts = {
      start: b.starts_at, end: b.ends_at, modality: b.modality,
      practitioner: { firstName: b.first_name, lastName: b.last_name, profession: b.profession },
      practice: { name: b.name, address: b.address, phone: b.phone },
      patient: { firstName: b.patient_first_name, lastName: b.patient_last_name, phone: b.patient_phone },
      bookedBy: { role: b.channel === 'matching' ? 'matching' : b.booked_by_role },
      cancelReason: b.cancel_reason,
    };
    return renderBooking(n.template as Exclude<TemplateName, 'request_unmatched_originator'>, facts, channel);
  }

  /**
   * Safety net, every minute: re-adds the jobs of queued rows whose job is gone, and closes rows
   * whose attempts are spent by a run that died before recording its outcome.
   */
  async reconcile(): Promise<{ requeued: number; failed: number }> {
    const failed = await updateReturning(
      this.dataSource,
      `UPDATE notification SET status = 'failed', claimed_until = NULL, status_changed_at = now(), last_error = coalesce(last_error, 'envoi interrompu')
        WHERE status = 'queued' AND attempts >= $1 AND (claimed_until IS NULL OR claimed_until < now()) RETURNING id`,
      [this.config.NOTIFY_ATTEMPTS],
    );
    const queued: { id: string; send_at: Date }[] = await this.dataSource.query(
      `SELECT id, send_at FROM notification WHERE status = 'queued' AND (claimed_until IS NULL OR claimed_until < now()) ORDER BY send_at LIMIT 10000`,
    );
    let requeued = 0;
    for (const n of queued) if (await this.producer.ensure({ id: n.id, sendAt: n.send_at })) requeued++;
    if (requeued || failed.length) this.logger.log({ requeued, failed: failed.length }, 'notifications reconciled');
    return { requeued, failed: failed.length };
  }

  /** `GET /notifications`: coordination only; newest first. */
  async list(principal: Principal, q: ListNotificationsQuery) {
    if (!isCoordination(principal)) throw new ForbiddenError('Réservé à la coordination de la CPTS');
    const rows = await this.dataSource.query(
      `SELECT id, channel, recipient, template, status, attempts, sent_at, send_at, created_at, booking_id, request_id, last_error, provider, provider_id, segments
         FROM notification
        WHERE ($1::uuid IS NULL OR booking_id = $1) AND ($2::uuid IS NULL OR request_id = $2) AND ($3::text IS NULL OR status = $3)
        ORDER BY created_at DESC, id LIMIT $4`,
      [q.bookingId ?? null, q.requestId ?? null, q.status ?? null, q.limit ?? 200],
    );
    return {
      notifications: rows.map((r: any) => ({
        id: r.id,
        channel: r.channel,
        to: r.recipient,
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
