import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'crypto';
import { LRUCache } from 'lru-cache';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { preparedQuery } from '../database/prepared';
import { UnauthorizedError } from '../errors/domain-errors';
import { AccountChange, AccountChanges } from './account-changes';
import { sha256 } from './digest';
import { Principal, Role } from './roles';

/** What an access token says: whose, under which token version, which token, and until when. */
interface AccessClaims {
  sub: string;
  ver: number;
  jti: string;
  typ: 'access';
  exp: number;
  iat: number;
}

/** An account as the session check reads it. */
export interface AccountRow {
  id: string;
  role: Role;
  practice_id: string | null;
  practitioner_id: string | null;
  community_id: string | null;
  active: boolean;
  token_version: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The account behind a token, and whether that very token was signed out. One indexed read. */
const SESSION_SQL = `
  SELECT u.id, u.role, u.practice_id, u.practitioner_id, u.community_id, u.active, u.token_version,
         EXISTS (SELECT 1 FROM revoked_token r WHERE r.jti = $2::uuid) AS revoked
    FROM app_user u WHERE u.id = $1::uuid`;

const API_KEY_SQL = `SELECT id, role, practice_id, community_id, revoked_at FROM api_key WHERE key_hash = $1`;

/** Longest a session check is trusted without asking the database, even with the listener up. */
const CACHE_TTL_MS = 60_000;

interface Cached {
  principal: Principal;
  /** The account (user) or key (api_key) it belongs to, for invalidation. */
  ownerId: string;
}

/**
 * Access tokens and API keys, decided by Postgres: a token is valid when its signature and expiry
 * hold, its account is active, its token version is the account's, and it was not signed out; a
 * key when it exists and is not revoked. Answers are cached per process, and the cache is dropped
 * the moment the database announces a change (AccountChanges), so a sign-out, a password or role
 * change, a deactivation or a revoked key takes effect at once in every process. When the
 * listener is down nothing is cached.
 */
@Injectable()
export class SessionsService {
  private readonly cache = new LRUCache<string, Cached>({ max: 20_000 });
  /** Bumped by every announcement: a check that read the database before one does not cache its answer. */
  private generation = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly dataSource: DataSource,
    private readonly changes: AccountChanges,
  ) {
    changes.subscribe((c) => this.forget(c));
  }

  private forget(change: AccountChange | 'all'): void {
    this.generation++;
    if (change === 'all') return this.cache.clear();
    for (const [key, entry] of this.cache.entries()) {
      const hit = change.kind === 'token' ? entry.principal.tokenId === change.id : entry.ownerId === change.id;
      if (hit) this.cache.delete(key);
    }
  }

  /** A new access token for an account, valid JWT_TTL_SECONDS. */
  async issue(account: Pick<AccountRow, 'id' | 'token_version'>): Promise<string> {
    return this.jwt.signAsync({ sub: account.id, ver: account.token_version, jti: randomUUID(), typ: 'access' });
  }

  /** The principal behind a bearer token; 401 for anything else. */
  async verifyToken(token: string): Promise<Principal> {
    this.changes.start();
    const known = this.changes.listening ? this.cache.get(token) : undefined;
    if (known) return known.principal;
    const generation = this.generation;
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token);
    } catch {
      throw new UnauthorizedError('Session expirée ou jeton invalide : reconnectez-vous');
    }
    // A token without expiry (or not an access token of ours) is never accepted, whatever signed it.
    if (typeof claims.exp !== 'number' || claims.typ !== 'access' || !UUID.test(String(claims.sub)) || !UUID.test(String(claims.jti)) || !Number.isInteger(claims.ver)) {
      throw new UnauthorizedError('Jeton invalide : reconnectez-vous');
    }
    const [row] = await preparedQuery<AccountRow & { revoked: boolean }>(this.dataSource, 'session_check_v1', SESSION_SQL, [claims.sub, claims.jti]);
    if (!row) throw new UnauthorizedError('Compte inconnu : reconnectez-vous');
    if (!row.active) throw new UnauthorizedError('Ce compte est désactivé : adressez-vous à la coordination de la CPTS');
    if (row.revoked || row.token_version !== claims.ver) throw new UnauthorizedError('Session terminée : reconnectez-vous');
    const principal: Principal = {
      kind: 'user', id: row.id, role: row.role, practiceId: row.practice_id, practitionerId: row.practitioner_id, communityId: row.community_id,
      tokenId: claims.jti, tokenExpiresAt: claims.exp,
    };
    this.remember(token, { principal, ownerId: row.id }, generation, claims.exp * 1000 - Date.now());
    return principal;
  }

  async verifyApiKey(key: string): Promise<Principal> {
    this.changes.start();
    const hash = sha256(key);
    const known = this.changes.listening ? this.cache.get(`key:${hash}`) : undefined;
    if (known) return known.principal;
    const generation = this.generation;
    const [row] = await preparedQuery(this.dataSource, 'api_key_check_v1', API_KEY_SQL, [hash]);
    if (!row || row.revoked_at) throw new UnauthorizedError('Clé d’API inconnue ou révoquée');
    const principal: Principal = { kind: 'api_key', id: row.id, role: row.role, practiceId: row.practice_id, practitionerId: null, communityId: row.community_id };
    this.remember(`key:${hash}`, { principal, ownerId: row.id }, generation, CACHE_TTL_MS);
    return principal;
  }

  private remember(key: string, entry: Cached, generation: number, lifeMs: number): void {
    if (!this.changes.listening || generation !== this.generation) return;
    const ttl = Math.min(lifeMs, CACHE_TTL_MS);
    if (ttl > 0) this.cache.set(key, entry, { ttl });
  }

  /** Sign-out: that token only is refused from now on (kept until it would have expired anyway). */
  async revokeToken(principal: Principal): Promise<void> {
    if (principal.kind !== 'user' || !principal.tokenId) return;
    await this.dataSource.query(
      `INSERT INTO revoked_token (jti, user_id, expires_at) VALUES ($1, $2, to_timestamp($3)) ON CONFLICT (jti) DO NOTHING`,
      [principal.tokenId, principal.id, principal.tokenExpiresAt ?? Date.now() / 1000 + this.config.JWT_TTL_SECONDS],
    );
  }

  /**
   * Every token the account holds is refused from now on (password, role or link change,
   * deactivation, second factor reset), and so is a sign-in half done (its mfaToken, a PSC code).
   */
  async revokeAll(userId: string, em: Pick<EntityManager, 'query'> = this.dataSource): Promise<void> {
    await em.query(`UPDATE app_user SET token_version = token_version + 1, updated_at = now() WHERE id = $1`, [userId]);
    await em.query(`UPDATE auth_challenge SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [userId]);
  }
}
