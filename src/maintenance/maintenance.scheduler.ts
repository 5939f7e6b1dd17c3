import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { enqueueWithin } from '../redis/enqueue';
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

  /** Nightly, when nobody books: patient data and audit events past their retention, once per Paris day. */
  @Cron('15 3 * * *', { timeZone: 'Europe/Paris' })
  retention() {
    return this.enqueue('retention', DateTime.now().setZone('Europe/Paris').toISODate()!);
  }

  private async enqueue(name: MaintenanceJob, period: string): Promise<void> {
    await enqueueWithin(this.queue, name, {}, { jobId: `${name}.${period}`, removeOnComplete: { count: 200 }, removeOnFail: { count: 200 }, attempts: 3, backoff: { type: 'exponential', delay: 5000 } }, this.logger);
  }
}
