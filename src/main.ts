import 'reflect-metadata';
import { loadConfig } from './config/app-config';
import { createApp } from './app.factory';
import { AppConfig } from './config/app-config';
import { ensureDatabase, startupMessage } from './database/startup-errors';
import { closeOnSignals } from './operations/graceful-shutdown';

let config: AppConfig | undefined;

async function main() {
  config = loadConfig();
  await ensureDatabase(config);
  const app = await createApp(config);
  closeOnSignals(app, config.SHUTDOWN_TIMEOUT_MS);
  await app.listen(config.PORT, config.HOST);
  app.get(require('nestjs-pino').Logger).log(`listening on http://${config.HOST}:${config.PORT}`);
}

main().catch((e) => {
  // eslint-disable-next-line no-console
  console.error(config ? startupMessage(e, config) : e instanceof Error ? e.message : e);
  process.exit(1);
});
