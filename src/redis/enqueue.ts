import { Logger } from '@nestjs/common';
import { BulkJobOptions, JobsOptions, Queue } from 'bullmq';
import { within } from './within';

/**
 * Adds a job, giving up after `ms` when Redis does not answer: the caller's work is already in
 * Postgres and a reconciler (or the next cron tick) enqueues it again. True when the job was added
 * (or already existed under its id).
 */
export async function enqueueWithin(queue: Queue, name: string, data: object, opts: JobsOptions, logger: Logger, ms = 3000): Promise<boolean> {
  try {
    await within(queue.add(name, data, opts), ms);
    return true;
  } catch (e) {
    logger.warn({ queue: queue.name, job: name, err: (e as Error).message }, 'could not enqueue (Redis down?); the reconciler will');
    return false;
  }
}

/** Several jobs in one round trip, with the same give-up rule as `enqueueWithin`. */
export async function enqueueBulkWithin(queue: Queue, jobs: Array<{ name: string; data: object; opts: BulkJobOptions }>, logger: Logger, ms = 3000): Promise<boolean> {
  if (!jobs.length) return true;
  try {
    await within(queue.addBulk(jobs), ms);
    return true;
  } catch (e) {
    logger.warn({ queue: queue.name, count: jobs.length, err: (e as Error).message }, 'could not enqueue (Redis down?); the reconciler will');
    return false;
  }
}

/**
 * Re-adds job `id` with `add` when it is gone or has ended (Redis flushed or restarted, job failed):
 * one round trip to read its state; false when it is still waiting, delayed or running.
 */
export async function ensureJob(queue: Queue, id: string, add: () => Promise<boolean>): Promise<boolean> {
  const state = await queue.getJobState(id);
  if (state !== 'failed' && state !== 'completed' && state !== 'unknown') return false;
  if (state !== 'unknown') await queue.remove(id).catch(() => undefined);
  return add();
}
