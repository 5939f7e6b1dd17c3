import 'reflect-metadata';
import { existsSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/app-config';

/** The repository's root: the nearest folder above with a package.json (src/cli by ts-node, dist/src/cli built). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Where the committed OpenAPI document lives, for integrators who read before running anything. */
export const OPENAPI_FILE = join(repositoryRoot(), 'docs', 'openapi.json');

/**
 * `npm run docs:openapi`: writes the API's OpenAPI document (the one `/docs-json` serves) to
 * docs/openapi.json. A test fails while the committed file differs from what the app serves.
 */
async function main() {
  const app = await createApp(loadConfig({ ...process.env, WORKERS_ENABLED: 'false', REQUEST_LOGS: 'false', LOG_LEVEL: 'warn' }));
  try {
    await app.init();
    const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs-json' });
    if (res.statusCode !== 200) throw new Error(`/docs-json a répondu ${res.statusCode}`);
    writeFileSync(OPENAPI_FILE, `${JSON.stringify(JSON.parse(res.body), null, 2)}\n`);
    console.log(`Document OpenAPI écrit dans ${OPENAPI_FILE}`);
  } finally {
    await app.close();
  }
}

main().catch((e) => {
  console.error(`Échec : ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
