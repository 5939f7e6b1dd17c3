import { Processor } from '@nestjs/bullmq';
import { DrainingWorkerHost, WORKER_OPTIONS } from '../redis/worker-host';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { NOTIFICATIONS_QUEUE, NotificationsJob, SendJobData } from './notifications.queue';
import { NotificationsService } from './notifications.service';

/** Runs where workers are enabled (API process by default, or `npm run start:worker`). */
@Processor(NOTIFICATIONS_QUEUE, WORKER_OPTIONS)
export class NotificationsProcessor extends DrainingWorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationsProcessor.name);

  constructor(
    private readonly notifications: NotificationsService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.NOTIFY_CONCURRENCY;
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as NotificationsJob) {
      case 'send':
        return this.notifications.deliver((job.data as SendJobData).notificationId);
      case 'reconcile':
        return this.notifications.reconcile();
      default:
        this.logger.warn({ job: job.name }, 'unknown notifications job');
        return null;
    }
  }
}
