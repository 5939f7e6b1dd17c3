import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LRUCache } from 'lru-cache';
import { API_PREFIX } from '../api-prefix';
import { assertRole } from '../auth/auth.guard';
import { AccountChanges } from '../auth/account-changes';
import { AuthService } from '../auth/auth.service';
import { sha256 } from '../auth/digest';
import { DomainError } from '../errors/domain-errors';
import { ErrorFilter } from '../errors/error.filter';

/** Where bull-board is served, under the API prefix. */
export const QUEUE_BOARD_ROUTE = '/admin/queues';
const BOARD_PATH = `/${API_PREFIX}${QUEUE_BOARD_ROUTE}`;

/**
 * The queue board is a page a browser opens directly, so it cannot rely on the API's bearer token:
 * admins sign in with HTTP Basic (their e-mail and password; accounts without a second factor
 * only), or send a bearer token or an admin API key. Every path under the board (pages, assets, its
 * JSON API) goes through this hook, which runs before bull-board's own routes; it answers
 * 401/403/429 in the API's error shape. Basic sign-ins count against the sign-in limits like any
 * other; a browser's repeated Basic header is then remembered for 5 minutes, and forgotten at once
 * when the account changes (password, role, deactivation).
 */
@Injectable()
export class QueueBoardAccess implements OnModuleInit {
  private readonly admitted = new LRUCache<string, string>({ max: 1000, ttl: 5 * 60_000 });
  private readonly errors = new ErrorFilter();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: AuthService,
    private readonly changes: AccountChanges,
  ) {
    changes.subscribe((c) => {
      if (c === 'all') return this.admitted.clear();
      for (const [key, userId] of this.admitted.entries()) if (c.kind === 'user' && userId === c.id) this.admitted.delete(key);
    });
  }

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
    // Only a Basic sign-in alone is remembered (a bearer token or a key has its own cache, which
    // forgets at once), and only while account changes are heard.
    const basic = typeof headers['authorization'] === 'string' && /^Basic\s/i.test(headers['authorization']) && !headers['x-api-key'];
    const key = basic ? sha256(headers['authorization'] as string) : null;
    this.changes.start();
    if (key && this.changes.listening && this.admitted.has(key)) return null;
    try {
      const principal = await this.auth.authenticate(headers, ip, { basic: true });
      assertRole(principal, ['admin']);
      if (key && principal.kind === 'user' && this.changes.listening) this.admitted.set(key, principal.id);
      return null;
    } catch (e) {
      if (!(e instanceof DomainError) || e.status !== 401) return e;
      const given = headers['authorization'] || headers['x-api-key'];
      return new DomainError(401, 'unauthorized', given ? `Files d'attente : ${e.message}` : "Files d'attente : connectez-vous avec l'e-mail et le mot de passe d'un compte admin");
    }
  }
}

function isBoardRoute(route: string | undefined): boolean {
  return !!route && (route === BOARD_PATH || route.startsWith(`${BOARD_PATH}/`));
}
