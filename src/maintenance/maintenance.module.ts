import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { PrivacyModule } from '../privacy/privacy.module';
import { SlotsModule } from '../slots/slots.module';
import { MAINTENANCE_QUEUE } from './maintenance.queue';
import { MaintenanceProcessor } from './maintenance.processor';
import { MaintenanceScheduler } from './maintenance.scheduler';

/** Template expansion, hold clean-up and the daily retention run: cron enqueues everywhere, processors run where workers are enabled. */
@Module({})
export class MaintenanceModule {
  static register(workers: boolean): DynamicModule {
    return {
      module: MaintenanceModule,
      imports: [SlotsModule, PrivacyModule, BullModule.registerQueue({ name: MAINTENANCE_QUEUE })],
      providers: workers ? [MaintenanceScheduler, MaintenanceProcessor] : [MaintenanceScheduler],
    };
  }
}
