import { Processor } from '@nestjs/bullmq';
import { DrainingWorkerHost, WORKER_OPTIONS } from '../redis/worker-host';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { DispatchJobData, MATCHING_QUEUE, MatchingJob, MatchJobData } from './matching.queue';
import { MatchingService } from './matching.service';

/** Runs where workers are enabled (API process by default, or `npm run start:worker`). */
@Processor(MATCHING_QUEUE, WORKER_OPTIONS)
export class MatchingProcessor extends DrainingWorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(MatchingProcessor.name);

  constructor(
    private readonly matching: MatchingService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.MATCHING_CONCURRENCY;
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as MatchingJob) {
      case 'match':
        return this.matching.attempt((job.data as MatchJobData).requestId);
      case 'escalate':
        return this.matching.escalate((job.data as MatchJobData).requestId);
      case 'dispatch':
        return this.matching.dispatch((job.data as DispatchJobData).slotIds);
      case 'reconcile':
        return this.matching.reconcile();
      default:
        this.logger.warn({ job: job.name }, 'unknown matching job');
        return null;
    }
  }
}
