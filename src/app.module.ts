import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { BookingsModule } from './bookings/bookings.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { DirectoryModule } from './directory/directory.module';
import { HealthModule } from './health/health.module';
import { LimitsModule } from './limits/limits.module';
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
  /** `http`: false in the worker process (no HTTP server, so no metrics route nor queue board). */
  static forRoot(config: AppConfig, { http = true }: { http?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          // Nest 11 route syntax (nestjs-pino's default '*' triggers a conversion warning at start).
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.LOG_LEVEL,
            autoLogging: config.REQUEST_LOGS,
            // Never log bodies, query strings or headers: they may carry patient data or credentials.
            serializers: {
              // A calendar feed's path is its secret: never in the logs.
              req: (req) => ({ id: req.id, method: req.method, path: String(req.url).split('?')[0].replace(/(\/calendar-feeds\/)[^/]+/, '$1…') }),
              res: (res) => ({ statusCode: res.statusCode }),
            },
            transport: config.NODE_ENV === 'development' && process.stdout.isTTY ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
          },
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
