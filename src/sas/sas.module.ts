import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { SasController } from './sas.controller';
import { SAS_FEED_QUEUE } from './sas-feed.queue';
import { SasFeedProcessor } from './sas-feed.processor';
import { SasFeedProducer } from './sas-feed.producer';
import { SasFeedScheduler } from './sas-feed.scheduler';
import { SasFeedService } from './sas-feed.service';

/**
 * The appointment feed to the SAS platform (INT_R03). Rows are written by the booking statements;
 * this module queues them after commit, sends them where workers run, lists them for admins.
 */
@Module({})
export class SasModule {
  static register(workers: boolean): DynamicModule {
    return {
      module: SasModule,
      imports: [BullModule.registerQueue({ name: SAS_FEED_QUEUE })],
      controllers: [SasController],
      providers: [SasFeedProducer, SasFeedService, SasFeedScheduler, ...(workers ? [SasFeedProcessor] : [])],
    };
  }
}
