import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { Logger } from 'pino';
import { AuthModule } from './auth/auth.module';
import { BookingsModule } from './bookings/bookings.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { DirectoryModule } from './directory/directory.module';
import { HealthModule } from './health/health.module';
import { LimitsModule } from './limits/limits.module';
import { createLogger } from './logging/logger';
import { MatchingModule } from './matching/matching.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OperationsModule } from './operations/operations.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { PrivacyModule } from './privacy/privacy.module';
import { RedisModule } from './redis/redis.module';
import { SlotsModule } from './slots/slots.module';
import { FhirModule } from './fhir/fhir.module';
import { ReportingModule } from './reporting/reporting.module';
import { CalendarModule } from './calendar/calendar.module';
import { SasModule } from './sas/sas.module';


@Module({})
export class AppModule {
  /**
   * `http`: false in the worker process (no HTTP server, so no metrics route nor queue board).
   * `logger`: the process's pino logger (createLogger), when the caller also writes to it.
   */
  static forRoot(config: AppConfig, { http = true, logger = createLogger(config) }: { http?: boolean; logger?: Logger } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          // The process's logger; no middleware (no route): request lines are a Fastify hook of the
          // API (logRequests), and a request's errors carry its id explicitly (ErrorFilter).
          pinoHttp: { logger },
          forRoutes: [],
        }),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config), migrationsRun: false }),
        RedisModule,
        BullModule.forRoot({
          connection: { url: config.REDIS_URL },
          prefix: config.QUEUE_PREFIX,
          defaultJobOptions: { removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } },
        }),
        ScheduleModule.forRoot(),
        EventEmitterModule.forRoot(),
        LimitsModule,
        AuthModule,
        DirectoryModule,
        SlotsModule,
        BookingsModule,
        HealthModule,
        PrivacyModule,
        FhirModule,
        ReportingModule,
        CalendarModule,
        MaintenanceModule.register(config.WORKERS_ENABLED),
        MatchingModule.register(config.WORKERS_ENABLED),
        NotificationsModule.register(config.WORKERS_ENABLED),
        SasModule.register(config.WORKERS_ENABLED),
        OperationsModule.register(http),
      ],
    };
  }
}
