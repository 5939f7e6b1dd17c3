import { randomUUID } from 'crypto';
import { IncomingHttpHeaders } from 'http';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The id of a request, in every log line about it and in the X-Request-Id answer header: the
 * caller's own X-Request-Id when it is a plain token (a proxy's, a client's), else a new UUID.
 * Given to Fastify as genReqId: the request's log lines (logRequests, the error filter's) carry it.
 */
export function requestIdFor(req: { headers: IncomingHttpHeaders }): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
