import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { enqueueBulkWithin, enqueueWithin, ensureJob } from '../redis/enqueue';
import { SAS_FEED_QUEUED, SasFeedQueuedEvent } from './feed-events';
import { SAS_FEED_QUEUE } from './sas-feed.queue';

/**
 * Adds the jobs of the SAS feed's rows once committed; runs in every process. Job id = row id: a
 * change is queued once however often it is announced.
 */
@Injectable()
export class SasFeedProducer {
  private readonly logger = new Logger(SasFeedProducer.name);

  constructor(
    @InjectQueue(SAS_FEED_QUEUE) readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  @OnEvent(SAS_FEED_QUEUED, { async: true, promisify: true, suppressErrors: true })
  queued(event: SasFeedQueuedEvent): Promise<boolean> {
    return this.add(event.ids);
  }

  /** One round trip; false when Redis did not answer (the reconciler will add them). */
  add(ids: string[]): Promise<boolean> {
    const opts = { attempts: this.config.SAS_FEED_ATTEMPTS, backoff: { type: 'exponential', delay: this.config.SAS_FEED_BACKOFF_MS }, removeOnComplete: true, removeOnFail: true };
    return enqueueBulkWithin(this.queue, ids.map((id) => ({ name: 'send', data: { rowId: id }, opts: { ...opts, jobId: id } })), this.logger);
  }

  /** Re-adds the job of a queued row whose job is gone (Redis flushed or restarted, job ended). */
  ensure(id: string): Promise<boolean> {
    return ensureJob(this.queue, id, () => this.add([id]));
  }

  reconcileTick(period: string): Promise<boolean> {
    return enqueueWithin(this.queue, 'reconcile', {}, { jobId: `reconcile.${period}`, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 }, attempts: 2 }, this.logger);
  }
}
