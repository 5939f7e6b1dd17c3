import { connect } from 'net';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { ErrorFilter, isDatabaseUnreachable } from './error.filter';

/** A real socket error: a connection to a port nobody listens on (port 1 on the loopback). */
function refused(): Promise<Error> {
  return new Promise((resolve) => connect(1, '127.0.0.1').on('error', resolve));
}

describe('a database that cannot be reached is a 503, an error in the query is not', () => {
  it('recognises the ways a connection fails', async () => {
    expect(isDatabaseUnreachable(await refused())).toBe(true);
    expect(isDatabaseUnreachable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnreachable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnreachable(new QueryRunnerAlreadyReleasedError())).toBe(true);
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(isDatabaseUnreachable(new QueryFailedError('SELECT 1', [], shutdown))).toBe(true);
    const lost = Object.assign(new Error('connection failure'), { code: '08006' });
    expect(isDatabaseUnreachable(new QueryFailedError('SELECT 1', [], lost))).toBe(true);
  });

  it('leaves the query’s own errors alone', () => {
    const badUuid = Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' });
    expect(isDatabaseUnreachable(new QueryFailedError('SELECT 1', [], badUuid))).toBe(false);
    expect(isDatabaseUnreachable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
  });

  it('answers 503 service_unavailable with Retry-After', () => {
    const body = new ErrorFilter().toBody(new Error('Connection terminated unexpectedly'));
    expect(body).toEqual({
      statusCode: 503,
      error: 'service_unavailable',
      message: 'Service momentanément indisponible (base de données injoignable) : réessayez dans quelques secondes',
      retryAfterSeconds: 5,
    });
  });
});
