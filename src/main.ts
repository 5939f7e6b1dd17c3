import 'reflect-metadata';
import { loadConfig } from './config/app-config';
import { createApp } from './app.factory';

async function main() {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
  app.get(require('nestjs-pino').Logger).log(`listening on http://${config.HOST}:${config.PORT}`);
}

main().catch((e) => {
  // eslint-disable-next-line no-console
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
