import fastifyStatic from '@fastify/static';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { readFileSync } from 'fs';
import { dirname, join } from 'path';
import { API_PREFIX } from './api-prefix';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { runMigrations } from './database/migrate';
import { CommunesService } from './directory/communes.service';
import { ErrorFilter } from './errors/error.filter';
import { createLogger, logRequests } from './logging/logger';
import { requestIdFor } from './logging/request-id';
import { LABELS } from './reporting/indicators';
import { buildValidationPipe } from './validation/validation.pipe';
import { guardJsonBodies } from './validation/json-body';
import { registerSecurityHeaders } from './security/security-headers';

/** Builds the HTTP app (API, /docs, /health, web form); migrations first unless MIGRATIONS_RUN=false. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  if (config.MIGRATIONS_RUN) await runMigrations(config);
  const logger = createLogger(config);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, { logger }),
    new FastifyAdapter({
      trustProxy: trustedProxies(config),
      bodyLimit: 256 * 1024,
      genReqId: requestIdFor,
      requestIdHeader: false,
      // The SAS guide's own example searches `[base]/Slot/?…`: a FHIR type with a trailing slash is that type.
      rewriteUrl: (req: { url?: string }) => (req.url ?? '/').replace(/^(\/fhir\/[A-Za-z]+)\/(?=\?|$)/, '$1'),
    }),
    // Bodies are parsed by guardJsonBodies (JSON only, depth and NUL checked), not by Nest's own parsers.
    { bufferLogs: true, bodyParser: false },
  );
  app.useLogger(app.get(Logger));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (req, reply, done) => {
      reply.header('x-request-id', req.id);
      done();
    });
  if (config.REQUEST_LOGS) logRequests(app.getHttpAdapter().getInstance(), logger);
  guardJsonBodies(app.getHttpAdapter().getInstance());
  registerSecurityHeaders(app);
  // /fhir is the SAS platform's base URL, outside the API's own versioned prefix.
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', { path: 'fhir', method: RequestMethod.ALL }, { path: 'fhir/{*rest}', method: RequestMethod.ALL }] });
  app.useGlobalPipes(buildValidationPipe());
  app.useGlobalFilters(new ErrorFilter());

  const doc = new DocumentBuilder()
    .setTitle('CPTS — soins non programmés')
    .setDescription('Publication, recherche et réservation de créneaux SNP (contrat v1). Erreurs : {statusCode, error, message, details?, alternatives?}.')
    .setVersion('1')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'docs-json' });

  await app.register(fastifyStatic, { root: join(__dirname, 'web', 'public'), prefix: '/', decorateReply: false, index: ['index.html'] });
  // The indicators' French labels, for the dashboard: the server's one list, as an ES module.
  const labels = `export const LABELS = ${JSON.stringify(LABELS)};\n`;
  app.getHttpAdapter().getInstance().get('/indicator-labels.js', (_req, reply) => {
    reply.type('text/javascript; charset=utf-8').send(labels);
  });
  // A GP's agenda opened by its link (each Slot's `comment` for the SAS platform): the same page, which reads the path.
  const page = readFileSync(join(__dirname, 'web', 'public', 'index.html'));
  app.getHttpAdapter().getInstance().get('/agenda/:practitionerId', (_req, reply) => {
    reply.type('text/html; charset=utf-8').send(page);
  });
  // A booking's link from the GP's calendar feed: the same page (the GP's list shows it).
  app.getHttpAdapter().getInstance().get('/rendez-vous/:bookingId', (_req, reply) => {
    reply.type('text/html; charset=utf-8').send(page);
  });
  // The page computes Paris times with the same luxon as the server, served from node_modules (no CDN).
  await app.register(fastifyStatic, { root: join(dirname(require.resolve('luxon')), '..', 'es6'), prefix: '/vendor/luxon/', decorateReply: false, allowedPath: (p) => p === '/luxon.mjs' });
  // The coordination's charts: Chart.js's one-file build (it sets globalThis.Chart when the page imports it), nothing else of the package.
  await app.register(fastifyStatic, { root: dirname(require.resolve('chart.js')), prefix: '/vendor/chart.js/', decorateReply: false, allowedPath: (p) => p === '/chart.umd.min.js' });
  await app.get(CommunesService).ensureOfficialList();
  return app;
}

/**
 * Who may tell us the client's address in `X-Forwarded-For`: the proxies of TRUSTED_PROXIES only
 * (false when none: the direct peer is the client, and a forged header changes nothing).
 */
function trustedProxies(config: AppConfig): string[] | false {
  const list = config.TRUSTED_PROXIES.split(',').map((s) => s.trim()).filter(Boolean);
  return list.length ? list : false;
}
