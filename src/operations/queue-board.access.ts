import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LRUCache } from 'lru-cache';
import { API_PREFIX } from '../api-prefix';
import { assertRole } from '../auth/auth.guard';
import { AuthService } from '../auth/auth.service';
import { sha256 } from '../auth/digest';
import { DomainError } from '../errors/domain-errors';
import { ErrorFilter } from '../errors/error.filter';

/** Where bull-board is served, under the API prefix. */
export const QUEUE_BOARD_ROUTE = '/admin/queues';
const BOARD_PATH = `/${API_PREFIX}${QUEUE_BOARD_ROUTE}`;
/** Failed sign-ins per address and minute before the board answers 429 (each costs an argon2 verification). */
const FAILURES_PER_MINUTE = 10;

/**
 * The queue board is a page a browser opens directly, so it cannot rely on the API's bearer token:
 * admins sign in with HTTP Basic (their e-mail and password), or send a bearer token or an admin
 * API key. Every path under the board (pages, assets, its JSON API) goes through this hook, which
 * runs before bull-board's own routes; it answers 401/403/429 in the API's error shape.
 */
@Injectable()
export class QueueBoardAccess implements OnModuleInit {
  private readonly admitted = new LRUCache<string, true>({ max: 1000, ttl: 5 * 60_000 });
  private readonly failures = new LRUCache<string, number>({ max: 10_000, ttl: 60_000 });
  private readonly errors = new ErrorFilter();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: AuthService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance();
    fastify.addHook('onRequest', async (req: any, reply: any) => {
      // The route fastify matched (not the raw URL, which %-encoding or // could disguise).
      if (!isBoardRoute(req.routeOptions?.url)) return;
      const refusal = await this.check(req.headers, req.ip);
      if (!refusal) return;
      const body = this.errors.toBody(refusal);
      if (body.statusCode === 401) reply.header('www-authenticate', 'Basic realm="SNP - files d\'attente", charset="UTF-8"');
      reply.code(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
      return reply;
    });
  }

  /** Null when an admin is calling, else the error to answer with (ErrorFilter turns it into the API's error body). */
  private async check(headers: Record<string, string | string[] | undefined>, ip: string): Promise<unknown> {
    const credentials = `${headers['authorization'] ?? ''}|${headers['x-api-key'] ?? ''}`;
    const key = sha256(credentials);
    if (this.admitted.has(key)) return null;
    if ((this.failures.get(ip) ?? 0) >= FAILURES_PER_MINUTE) {
      return new DomainError(429, 'rate_limited', 'Trop de tentatives de connexion, réessayez dans une minute');
    }
    try {
      assertRole(await this.auth.authenticate(headers, { basic: true }), ['admin']);
      this.admitted.set(key, true);
      return null;
    } catch (e) {
      if (!(e instanceof DomainError) || e.status !== 401) return e;
      if (headers['authorization'] || headers['x-api-key']) this.failures.set(ip, (this.failures.get(ip) ?? 0) + 1);
      return new DomainError(401, 'unauthorized', "Files d'attente : connectez-vous avec l'e-mail et le mot de passe d'un compte admin");
    }
  }
}

function isBoardRoute(route: string | undefined): boolean {
  return !!route && (route === BOARD_PATH || route.startsWith(`${BOARD_PATH}/`));
}
