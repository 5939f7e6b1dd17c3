import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller';
import { NotificationsProcessor } from './notifications.processor';
import { NotificationsProducer } from './notifications.producer';
import { NOTIFICATIONS_QUEUE } from './notifications.queue';
import { NotificationsScheduler } from './notifications.scheduler';
import { NotificationsService } from './notifications.service';

/**
 * Messages to patients and practices. Rows are written by the statements of the events (bookings,
 * matching); this module queues them after commit (event), sends them where workers run, lists them.
 */
@Module({})
export class NotificationsModule {
  static register(workers: boolean): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [BullModule.registerQueue({ name: NOTIFICATIONS_QUEUE })],
      controllers: [NotificationsController],
      providers: [NotificationsProducer, NotificationsService, NotificationsScheduler, ...(workers ? [NotificationsProcessor] : [])],
    };
  }
}
