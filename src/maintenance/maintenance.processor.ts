import { Processor } from '@nestjs/bullmq';
import { DrainingWorkerHost, WORKER_OPTIONS } from '../redis/worker-host';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { RetentionService } from '../privacy/retention.service';
import { SlotsService } from '../slots/slots.service';
import { MAINTENANCE_QUEUE, MaintenanceJob } from './maintenance.queue';

@Processor(MAINTENANCE_QUEUE, WORKER_OPTIONS)
export class MaintenanceProcessor extends DrainingWorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly slots: SlotsService,
    private readonly retention: RetentionService,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as MaintenanceJob) {
      case 'expand-templates':
        return this.slots.expandTemplates();
      case 'release-holds':
        return this.slots.releaseExpiredHolds();
      case 'retention':
        return this.retention.run();
      default:
        this.logger.warn({ job: job.name }, 'unknown maintenance job');
        return 0;
    }
  }
}
