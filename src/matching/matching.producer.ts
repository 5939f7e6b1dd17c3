import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Queue } from 'bullmq';
import { enqueueWithin, ensureJob } from '../redis/enqueue';
import { SLOTS_AVAILABLE, SlotsAvailableEvent } from '../slots/slot-events';
import { MATCHING_QUEUE } from './matching.queue';

const RETRY = { attempts: 5, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 } } as const;

/**
 * Adds matching jobs; runs in every process (API and workers). A request's job id is the request
 * id, so a request is queued once however many times it is announced.
 */
@Injectable()
export class MatchingProducer {
  private readonly logger = new Logger(MatchingProducer.name);

  constructor(@InjectQueue(MATCHING_QUEUE) readonly queue: Queue) {}

  /** After the request's row is committed: try now, and turn it `unmatched` at its escalation time. */
  async requestFiled(requestId: string, escalateAt: Date): Promise<void> {
    await this.match(requestId);
    await this.escalateAt(requestId, escalateAt);
  }

  match(requestId: string, priority?: number): Promise<boolean> {
    return enqueueWithin(this.queue, 'match', { requestId }, { jobId: requestId, removeOnComplete: true, removeOnFail: true, priority, ...RETRY }, this.logger);
  }

  /** Slots became bookable: waiting requests that fit get them, most urgent first. */
  @OnEvent(SLOTS_AVAILABLE, { async: true, promisify: true, suppressErrors: true })
  async slotsAvailable(event: SlotsAvailableEvent): Promise<void> {
    await enqueueWithin(this.queue, 'dispatch', { slotIds: event.slotIds }, { removeOnComplete: true, removeOnFail: { count: 100 }, ...RETRY }, this.logger);
  }

  /** Re-adds the match job of a pending request whose job is gone (Redis flushed, restarted, job failed). */
  ensureMatchJob(requestId: string): Promise<boolean> {
    return ensureJob(this.queue, requestId, () => this.match(requestId));
  }

  async ensureEscalationJob(requestId: string, escalateAt: Date): Promise<void> {
    if (!(await this.queue.getJob(`${requestId}-escalate`))) await this.escalateAt(requestId, escalateAt);
  }

  private escalateAt(requestId: string, at: Date): Promise<boolean> {
    const delay = Math.max(0, at.getTime() - Date.now());
    return enqueueWithin(this.queue, 'escalate', { requestId }, { jobId: `${requestId}-escalate`, delay, removeOnComplete: true, removeOnFail: true, ...RETRY }, this.logger);
  }

  reconcileTick(period: string): Promise<boolean> {
    return enqueueWithin(this.queue, 'reconcile', {}, { jobId: `reconcile.${period}`, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 }, attempts: 2 }, this.logger);
  }
}
