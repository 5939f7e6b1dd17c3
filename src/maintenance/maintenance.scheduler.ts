import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { MAINTENANCE_QUEUE, MaintenanceJob } from './maintenance.queue';

/**
 * Cron only enqueues: each tick adds a job whose id names its period, so several replicas
 * running this scheduler still get the work done once per period (BullMQ drops duplicate ids).
 */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MaintenanceScheduler.name);

  constructor(@InjectQueue(MAINTENANCE_QUEUE) private readonly queue: Queue) {}

  private startup: Promise<void> | undefined;

  onApplicationBootstrap(): void {
    this.startup = this.expandTemplates();
  }

  /** Lets the start-up enqueue finish before the queue closes (fast restarts, tests). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.startup;
  }

  /** Hourly, so a missed night (restart, outage) is caught up within the hour; idempotent. */
  @Cron(CronExpression.EVERY_HOUR)
  expandTemplates() {
    return this.enqueue('expand-templates', DateTime.utc().toFormat("yyyy-LL-dd'T'HH"));
  }

  @Cron(CronExpression.EVERY_MINUTE)
  releaseHolds() {
    return this.enqueue('release-holds', DateTime.utc().toFormat("yyyy-LL-dd'T'HH-mm"));
  }

  private async enqueue(name: MaintenanceJob, period: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      // Fail fast when Redis is down: the next tick (or the next replica) enqueues it again.
      const timeout = new Promise<never>((_, no) => (timer = setTimeout(() => no(new Error('Redis did not answer within 3 s')), 3000)));
      const add = this.queue.add(name, {}, { jobId: `${name}.${period}`, removeOnComplete: { count: 200 }, removeOnFail: { count: 200 }, attempts: 3, backoff: { type: 'exponential', delay: 5000 } });
      add.catch(() => undefined);
      await Promise.race([add, timeout]);
    } catch (e) {
      this.logger.warn({ job: name, err: (e as Error).message }, 'could not enqueue maintenance job (Redis down?)');
    } finally {
      clearTimeout(timer);
    }
  }
}
