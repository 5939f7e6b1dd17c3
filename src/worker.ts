import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadConfig } from './config/app-config';
import { runMigrations } from './database/migrate';
import { closeOnSignals } from './operations/graceful-shutdown';

/**
 * `npm run start:worker`: the same modules as the API, without HTTP, with queue workers and cron on.
 * Run as many as needed; API replicas can then set WORKERS_ENABLED=false.
 */
async function main() {
  const config = loadConfig(process.env, { WORKERS_ENABLED: true });
  if (config.MIGRATIONS_RUN) await runMigrations(config);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, { http: false }), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  closeOnSignals(app, config.SHUTDOWN_TIMEOUT_MS);
  app.get(Logger).log('worker started');
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
