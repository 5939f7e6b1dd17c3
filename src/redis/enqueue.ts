import { Logger } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';

/**
 * Adds a job, giving up after `ms` when Redis does not answer: the caller's work is already in
 * Postgres and a reconciler (or the next cron tick) enqueues it again. True when the job was added
 * (or already existed under its id).
 */
export async function enqueueWithin(queue: Queue, name: string, data: object, opts: JobsOptions, logger: Logger, ms = 3000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, no) => (timer = setTimeout(() => no(new Error(`Redis did not answer within ${ms} ms`)), ms)));
    const add = queue.add(name, data, opts);
    add.catch(() => undefined);
    await Promise.race([add, timeout]);
    return true;
  } catch (e) {
    logger.warn({ queue: queue.name, job: name, err: (e as Error).message }, 'could not enqueue (Redis down?); the reconciler will');
    return false;
  } finally {
    clearTimeout(timer);
  }
}
