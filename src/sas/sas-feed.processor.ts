import { Processor } from '@nestjs/bullmq';
import { DrainingWorkerHost, WORKER_OPTIONS } from '../redis/worker-host';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { SAS_FEED_QUEUE, SasFeedJob, SasSendJobData } from './sas-feed.queue';
import { SasFeedService } from './sas-feed.service';

/** Runs where workers are enabled (API process by default, or `npm run start:worker`). */
@Processor(SAS_FEED_QUEUE, { ...WORKER_OPTIONS, concurrency: 4 })
export class SasFeedProcessor extends DrainingWorkerHost {
  private readonly logger = new Logger(SasFeedProcessor.name);

  constructor(private readonly feed: SasFeedService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as SasFeedJob) {
      case 'send':
        return this.feed.deliver((job.data as SasSendJobData).rowId);
      case 'reconcile':
        return this.feed.reconcile();
      default:
        this.logger.warn({ job: job.name }, 'unknown SAS feed job');
        return null;
    }
  }
}
