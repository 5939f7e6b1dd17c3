import helmet from '@fastify/helmet';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { API_PREFIX } from '../api-prefix';

/** API answers are data, never a page: nothing may run in them or frame them. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The web page shows patient data: it runs only its own scripts and styles, talks only to its own
 * origin, cannot be framed, and sends no referrer.
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The admins' queue board (bull-board), an HTML page under the API prefix. */
const QUEUE_BOARD_PATH = `/${API_PREFIX}/admin/queues`;

/**
 * Swagger UI (/docs) and the queue board set some styles inline and the board a <base> of its own;
 * they show no patient data and still run only their own scripts (the board's web fonts, asked of
 * Google, are refused: it falls back to the system's).
 */
const DOCS_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/**
 * The usual security headers on every answer (helmet: nosniff, framing refused, HSTS,
 * Referrer-Policy no-referrer, cross-origin isolation), with a Content-Security-Policy for what
 * each part of the app serves; API answers are also never stored by a cache (they carry patient data).
 */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  await app.register(helmet as any, {
    contentSecurityPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    crossOriginEmbedderPolicy: false,
  });
  app.getHttpAdapter().getInstance().addHook('onRequest', (req, reply, done) => {
    const path = req.url.split('?')[0];
    if (path.startsWith(QUEUE_BOARD_PATH)) {
      reply.header('content-security-policy', DOCS_CSP);
    } else if (path.startsWith(`/${API_PREFIX}/`) || path === '/health' || path.startsWith('/health/')) {
      reply.header('content-security-policy', API_CSP).header('cache-control', 'no-store');
    } else if (path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-json')) {
      reply.header('content-security-policy', DOCS_CSP);
    } else {
      reply.header('content-security-policy', PAGE_CSP);
    }
    done();
  });
}
