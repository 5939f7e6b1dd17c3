import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { JobsOptions, Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { within } from '../redis/within';
import { NOTIFICATIONS_QUEUED, NotificationsQueuedEvent, QueuedNotification } from './notification-events';
import { NOTIFICATIONS_QUEUE } from './notifications.queue';

/**
 * Adds notification jobs after their rows are committed; runs in every process. Job id = row id,
 * so a message is queued once however often it is announced; a reminder's job is delayed until
 * its send time.
 */
@Injectable()
export class NotificationsProducer {
  private readonly logger = new Logger(NotificationsProducer.name);

  constructor(
    @InjectQueue(NOTIFICATIONS_QUEUE) readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  /** Announced since the last flush: the messages of concurrent bookings go to Redis together. */
  private pending: QueuedNotification[] = [];
  private flushing?: Promise<boolean>;

  @OnEvent(NOTIFICATIONS_QUEUED, { async: true, promisify: true, suppressErrors: true })
  queued(event: NotificationsQueuedEvent): Promise<boolean> {
    this.pending.push(...event.notifications);
    // One addBulk per turn of the event loop rather than one per booking: under load, one round
    // trip and one pipeline for the dozens of bookings answered in the same turn.
    return (this.flushing ??= new Promise<void>((r) => setImmediate(r)).then(() => {
      const batch = this.pending;
      this.pending = [];
      this.flushing = undefined;
      return this.add(batch);
    }));
  }

  /** One round trip for all; false when Redis did not answer (the reconciler will add them). */
  async add(notifications: QueuedNotification[]): Promise<boolean> {
    if (!notifications.length) return true;
    const now = Date.now();
    try {
      await within(
        this.queue.addBulk(notifications.map((n) => ({ name: 'send', data: { notificationId: n.id }, opts: this.options(n, now) }))),
        3000,
      );
      return true;
    } catch (e) {
      this.logger.warn({ queue: NOTIFICATIONS_QUEUE, count: notifications.length, err: (e as Error).message }, 'could not enqueue (Redis down?); the reconciler will');
      return false;
    }
  }

  private options(n: QueuedNotification, now: number): JobsOptions {
    return {
      jobId: n.id,
      delay: Math.max(0, n.sendAt.getTime() - now),
      attempts: this.config.NOTIFY_ATTEMPTS,
      backoff: { type: 'exponential', delay: this.config.NOTIFY_BACKOFF_MS },
      removeOnComplete: true,
      removeOnFail: true,
    };
  }

  /** Re-adds the job of a queued row whose job is gone (Redis flushed or restarted, job ended). */
  async ensure(n: QueuedNotification): Promise<boolean> {
    const job = await this.queue.getJob(n.id);
    if (job) {
      const state = await job.getState();
      if (state !== 'failed' && state !== 'completed' && state !== 'unknown') return false;
      await job.remove().catch(() => undefined);
    }
    return this.add([n]);
  }

  reconcileTick(period: string): Promise<unknown> {
    return within(
      this.queue.add('reconcile', {}, { jobId: `reconcile.${period}`, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 }, attempts: 2 }),
      3000,
    ).catch((e) => this.logger.warn({ err: (e as Error).message }, 'could not enqueue the notifications reconciler'));
  }
}
