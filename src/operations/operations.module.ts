import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { MATCHING_QUEUE } from '../matching/matching.queue';
import { NOTIFICATIONS_QUEUE } from '../notifications/notifications.queue';
import { SAS_FEED_QUEUE } from '../sas/sas-feed.queue';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { QUEUE_BOARD_ROUTE, QueueBoardAccess } from './queue-board.access';

/** For whoever runs the service: Prometheus metrics, and bull-board (admins only) where HTTP is served. */
@Module({})
export class OperationsModule {
  static register(http: boolean): DynamicModule {
    // A worker process serves no HTTP: nothing here, not even queue handles (each is a Redis connection).
    if (!http) return { module: OperationsModule };
    return {
      module: OperationsModule,
      imports: [
        BullModule.registerQueue({ name: MATCHING_QUEUE }, { name: NOTIFICATIONS_QUEUE }, { name: SAS_FEED_QUEUE }),
        BullBoardModule.forRoot({ route: QUEUE_BOARD_ROUTE, adapter: FastifyAdapter, boardOptions: { uiConfig: { boardTitle: 'SNP — files' } } }),
        BullBoardModule.forFeature({ name: MATCHING_QUEUE, adapter: BullMQAdapter }, { name: NOTIFICATIONS_QUEUE, adapter: BullMQAdapter }, { name: SAS_FEED_QUEUE, adapter: BullMQAdapter }),
      ],
      controllers: [MetricsController],
      providers: [MetricsService, QueueBoardAccess],
    };
  }
}
