import { Logger } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
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
