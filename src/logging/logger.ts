import { FastifyInstance } from 'fastify';
import pino, { Logger } from 'pino';
import { AppConfig } from '../config/app-config';

/**
 * A request's path as logs may show it: never its query string (a search's place, a patient's
 * details in a link), and never a calendar feed's secret.
 */
export function loggedPath(url: string): string {
  return String(url).split('?')[0].replace(/(\/calendar-feeds\/)[^/]+/, '$1…');
}

/**
 * The process's one pino logger (Nest's logs go through it, by nestjs-pino). Whatever is logged
 * under `req` shows the request's id, method and path only; under `res`, its status: never bodies,
 * query strings or headers (patient data, credentials).
 */
export function createLogger(config: AppConfig): Logger {
  return pino({
    level: config.LOG_LEVEL,
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, path: loggedPath(req.url ?? '') }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    transport: config.NODE_ENV === 'development' && process.stdout.isTTY ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
  });
}

/**
 * With REQUEST_LOGS, one line per answered request, written once the answer is sent: its id (the
 * X-Request-Id header it was answered with), method, path, status and time. A Fastify hook rather
 * than a middleware: no per-request child logger, and no async context kept across every promise
 * of the request (which cost the API about a tenth of its time per booking).
 */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (req, reply, done) => {
    const line = { req, res: reply, responseTime: Math.round(reply.elapsedTime) };
    if (reply.statusCode >= 500) logger.error(line, 'request completed');
    else logger.info(line, 'request completed');
    done();
  });
}
