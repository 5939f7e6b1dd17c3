import { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet, { HelmetOptions } from 'helmet';
import { API_PREFIX } from '../api-prefix';

/** API answers are data, never a page: nothing may run in them or frame them. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The web page shows patient data: it runs only its own scripts and styles, talks only to its own
 * origin, cannot be framed, and sends no referrer.
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The SAS platform's FHIR interface: data like the API's (the next slots of named GPs). */
const FHIR_PATH = /^\/fhir(?:[/?]|$)/;

/** The admins' queue board (bull-board), an HTML page under the API prefix. */
const QUEUE_BOARD_PATH = `/${API_PREFIX}/admin/queues`;

/**
 * Swagger UI (/docs) and the queue board set some styles inline and the board a <base> of its own;
 * they show no patient data and still run only their own scripts (the board's web fonts, asked of
 * Google, are refused: it falls back to the system's).
 */
const DOCS_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/** helmet's choices, ours where they differ: no referrer at all, framing denied, HSTS a year with subdomains. */
const HELMET: HelmetOptions = {
  contentSecurityPolicy: false,
  crossOriginEmbedderPolicy: false,
  referrerPolicy: { policy: 'no-referrer' },
  frameguard: { action: 'deny' },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
};

/** The headers helmet sets for these options (nosniff, framing refused, HSTS, Referrer-Policy, cross-origin isolation…), read once. */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = { setHeader: (k: string, v: unknown) => (headers[k.toLowerCase()] = String(v)), removeHeader: (k: string) => delete headers[k.toLowerCase()] };
  helmet(options)({} as never, res as never, () => undefined);
  return headers;
}

/**
 * The usual security headers on every answer, with a Content-Security-Policy for what each part of
 * the app serves; API answers are also never stored by a cache (they carry patient data). helmet
 * decides the headers once, at start, and one hook sets the precomputed set: running helmet's
 * middleware on every request cost the booking path a tenth of its throughput (bench/README.md).
 */
export function registerSecurityHeaders(app: NestFastifyApplication): void {
  const common = helmetHeaders(HELMET);
  const api = { ...common, 'content-security-policy': API_CSP, 'cache-control': 'no-store' };
  const docs = { ...common, 'content-security-policy': DOCS_CSP };
  const page = { ...common, 'content-security-policy': PAGE_CSP };
  const apiPrefix = `/${API_PREFIX}/`;
  app.getHttpAdapter().getInstance().addHook('onRequest', (req, reply, done) => {
    const url = req.url;
    if (url.startsWith(apiPrefix)) reply.headers(url.startsWith(QUEUE_BOARD_PATH) ? docs : api);
    else if (url === '/health' || url.startsWith('/health?') || url.startsWith('/health/') || FHIR_PATH.test(url)) reply.headers(api);
    else if (url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs-json') || url.startsWith('/docs?')) reply.headers(docs);
    else reply.headers(page);
    done();
  });
}
