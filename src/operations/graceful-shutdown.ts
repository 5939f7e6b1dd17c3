import { INestApplicationContext, Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

const logger = new Logger('Shutdown');

/**
 * SIGTERM or SIGINT (a deployment, Ctrl-C): the process stops taking work and finishes what it has,
 * then exits 0; past `timeoutMs` it exits 1 anyway. An API process first closes its HTTP server:
 * no new connections, a request arriving on a kept-alive one is answered 503 (`Connection: close`)
 * so the client goes to another replica, idle connections are closed, and the requests in flight
 * finish while the database and Redis are still open. Then the app closes: workers stop taking
 * jobs and finish their active ones, then queues, Redis and the database pool close.
 */
export function closeOnSignals(app: INestApplicationContext | NestFastifyApplication, timeoutMs: number): void {
  // An API (it has an HTTP server), or a worker (an application context only).
  const http = 'getHttpAdapter' in app ? app : undefined;
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log({ signal, timeoutMs }, 'stopping: finishing the work in hand, taking no more');
    const deadline = setTimeout(() => {
      logger.warn({ timeoutMs }, 'shutdown not finished in time: exiting anyway');
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    try {
      if (http) {
        const server = http.getHttpServer();
        // Connections kept alive by clients become idle between requests: closed as soon as they are.
        const sweep = setInterval(() => server.closeIdleConnections?.(), 200);
        try {
          await http.getHttpAdapter().close();
        } finally {
          clearInterval(sweep);
        }
      }
      await app.close();
      logger.log('stopped');
      process.exit(0);
    } catch (e) {
      logger.error({ err: (e as Error).message }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', (s) => void stop(s));
  process.once('SIGINT', (s) => void stop(s));
}
