import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { JobsOptions, Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { enqueueBulkWithin, enqueueWithin, ensureJob } from '../redis/enqueue';
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
  add(notifications: QueuedNotification[]): Promise<boolean> {
    const now = Date.now();
    return enqueueBulkWithin(this.queue, notifications.map((n) => ({ name: 'send', data: { notificationId: n.id }, opts: this.options(n, now) })), this.logger);
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
  ensure(n: QueuedNotification): Promise<boolean> {
    return ensureJob(this.queue, n.id, () => this.add([n]));
  }

  reconcileTick(period: string): Promise<boolean> {
    return enqueueWithin(this.queue, 'reconcile', {}, { jobId: `reconcile.${period}`, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 }, attempts: 2 }, this.logger);
  }
}
