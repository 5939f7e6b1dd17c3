import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { DirectoryModule } from '../directory/directory.module';
import { SlotsModule } from '../slots/slots.module';
import { MatchingProcessor } from './matching.processor';
import { MatchingProducer } from './matching.producer';
import { MATCHING_QUEUE } from './matching.queue';
import { MatchingScheduler } from './matching.scheduler';
import { MatchingService } from './matching.service';
import { RequestsController } from './requests.controller';
import { RequestsService } from './requests.service';

/** SNP requests and the engine that books them: producers everywhere, the processor where workers run. */
@Module({})
export class MatchingModule {
  static register(workers: boolean): DynamicModule {
    return {
      module: MatchingModule,
      imports: [DirectoryModule, SlotsModule, BookingsModule, BullModule.registerQueue({ name: MATCHING_QUEUE })],
      controllers: [RequestsController],
      providers: [RequestsService, MatchingProducer, MatchingService, MatchingScheduler, ...(workers ? [MatchingProcessor] : [])],
    };
  }
}
