import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { MATCHING_QUEUE } from '../matching/matching.queue';
import { NOTIFICATIONS_QUEUE } from '../notifications/notifications.queue';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { QUEUE_BOARD_ROUTE, QueueBoardAccess } from './queue-board.access';

/** For whoever runs the service: Prometheus metrics, and bull-board (admins only) where HTTP is served. */
@Module({})
export class OperationsModule {
  static register(http: boolean): DynamicModule {
    const board = http
      ? [
          BullBoardModule.forRoot({ route: QUEUE_BOARD_ROUTE, adapter: FastifyAdapter, boardOptions: { uiConfig: { boardTitle: 'SNP — files' } } }),
          BullBoardModule.forFeature({ name: MATCHING_QUEUE, adapter: BullMQAdapter }, { name: NOTIFICATIONS_QUEUE, adapter: BullMQAdapter }),
        ]
      : [];
    return {
      module: OperationsModule,
      imports: [BullModule.registerQueue({ name: MATCHING_QUEUE }, { name: NOTIFICATIONS_QUEUE }), ...board],
      controllers: http ? [MetricsController] : [],
      providers: http ? [MetricsService, QueueBoardAccess] : [],
    };
  }
}
