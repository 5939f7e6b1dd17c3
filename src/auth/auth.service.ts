import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { randomBytes } from 'crypto';
import { LRUCache } from 'lru-cache';
import { DataSource, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ConflictError, UnauthorizedError, UnprocessableError } from '../errors/domain-errors';
import { ApiKey } from './api-key.entity';
import { sha256 } from './digest';
import { Principal, Role } from './roles';
import { User } from './user.entity';

interface TokenPayload {
  sub: string;
  role: Role;
  practiceId: string | null;
  practitionerId: string | null;
}

export interface NewUser {
  email: string;
  password: string;
  role: Role;
  practiceId?: string | null;
  practitionerId?: string | null;
  communityId?: string | null;
}

/** An account as `GET /users` shows it: never its password hash. */
export interface UserView {
  id: string;
  email: string;
  role: Role;
  practiceId?: string;
  practitionerId?: string;
  createdAt: string;
}


@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);
  // A well-formed hash to verify against when the e-mail is unknown, so timing does not reveal accounts.
  private dummyHash: Promise<string> | undefined;

  /** Tokens already verified (signature and expiry), so a session's every request is not re-verified. */
  private readonly verifiedTokens = new LRUCache<string, Principal>({ max: 10_000 });

  constructor(
    private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly dataSource: DataSource,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(ApiKey) private readonly apiKeys: Repository<ApiKey>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.config;
    if (!email || !password) return;
    const admins = await this.users.count({ where: { role: 'admin' } });
    if (admins > 0) return;
    await this.createUser({ email, password, role: 'admin' }).catch((e) => {
      if (!(e instanceof ConflictError)) throw e;
    });
    this.logger.log('bootstrap admin created');
  }

  async login(email: string, password: string): Promise<{ accessToken: string; user: Record<string, unknown> }> {
    const user = await this.checkPassword(email, password);
    const payload: TokenPayload = { sub: user.id, role: user.role, practiceId: user.practiceId, practitionerId: user.practitionerId };
    return {
      accessToken: await this.jwt.signAsync(payload),
      user: { id: user.id, email: user.email, role: user.role, practiceId: user.practiceId ?? undefined, practitionerId: user.practitionerId ?? undefined },
    };
  }

  /**
   * The caller of a request: `Authorization: Bearer <token>`, `X-Api-Key`, or (with `basic`, for
   * pages a browser opens directly, such as the queue board) `Authorization: Basic` e-mail:password.
   */
  async authenticate(headers: Record<string, string | string[] | undefined>, opts: { basic?: boolean } = {}): Promise<Principal> {
    const header = headers['authorization'];
    const apiKey = headers['x-api-key'];
    if (typeof header === 'string' && /^Bearer\s+/i.test(header)) return this.verifyToken(header.replace(/^Bearer\s+/i, '').trim());
    if (typeof apiKey === 'string' && apiKey.length > 0) return this.verifyApiKey(apiKey);
    if (opts.basic && typeof header === 'string' && /^Basic\s+/i.test(header)) {
      const decoded = Buffer.from(header.replace(/^Basic\s+/i, '').trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        const user = await this.checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1));
        return { kind: 'user', id: user.id, role: user.role, practiceId: user.practiceId, practitionerId: user.practitionerId };
      }
    }
    throw new UnauthorizedError('Connectez-vous : en-tête Authorization: Bearer <jeton> ou X-Api-Key manquant');
  }

  private async checkPassword(email: string, password: string): Promise<User> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
    this.dummyHash ??= argon2.hash(randomBytes(16).toString('hex'));
    const ok = await argon2.verify(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user || !ok) throw new UnauthorizedError('E-mail ou mot de passe incorrect');
    return user;
  }

  async verifyToken(token: string): Promise<Principal> {
    const known = this.verifiedTokens.get(token);
    if (known) return known;
    try {
      const p = await this.jwt.verifyAsync<TokenPayload & { exp: number }>(token);
      const principal: Principal = { kind: 'user', id: p.sub, role: p.role, practiceId: p.practiceId ?? null, practitionerId: p.practitionerId ?? null };
      // Kept no longer than the token is valid: an expired token is checked (and refused) again.
      const ttl = p.exp * 1000 - Date.now();
      if (ttl > 0) this.verifiedTokens.set(token, principal, { ttl });
      return principal;
    } catch {
      throw new UnauthorizedError('Session expirée ou jeton invalide : reconnectez-vous');
    }
  }

  async verifyApiKey(key: string): Promise<Principal> {
    const found = await this.apiKeys.findOne({ where: { keyHash: sha256(key) } });
    if (!found || found.revokedAt) throw new UnauthorizedError('Clé d’API inconnue ou révoquée');
    return { kind: 'api_key', id: found.id, role: found.role, practiceId: found.practiceId, practitionerId: null };
  }

  async createUser(input: NewUser): Promise<User> {
    if ((input.role === 'gp' || input.role === 'secretary') && !input.practiceId && !input.practitionerId) {
      throw new UnprocessableError('practice_required', `Un compte ${input.role === 'gp' ? 'médecin' : 'secrétariat'} doit être rattaché à un cabinet (practiceId) ou à un praticien (practitionerId)`);
    }
    if (input.role === 'gp' && !input.practitionerId) {
      throw new UnprocessableError('practitioner_required', 'Un compte médecin doit indiquer son practitionerId');
    }
    return this.dataSource.transaction(async (em) => {
      let practiceId = input.practiceId ?? null;
      if (input.practitionerId) {
        const rows = await em.query(`SELECT practice_id FROM practitioner WHERE id = $1`, [input.practitionerId]);
        if (!rows.length) throw new UnprocessableError('reference_not_found', 'practitionerId ne correspond à aucun praticien');
        if (practiceId && practiceId !== rows[0].practice_id) {
          throw new UnprocessableError('practice_mismatch', "Ce praticien n'exerce pas dans le cabinet indiqué");
        }
        practiceId = rows[0].practice_id;
      }
      const exists = await em.query(`SELECT 1 FROM app_user WHERE lower(email) = lower($1)`, [input.email]);
      if (exists.length) throw new ConflictError('email_taken', 'Un compte existe déjà avec cet e-mail');
      const user = em.create(User, {
        email: input.email,
        passwordHash: await argon2.hash(input.password),
        role: input.role,
        practiceId,
        practitionerId: input.practitionerId ?? null,
        communityId: input.communityId ?? null,
      });
      return em.save(user);
    });
  }

  /** The accounts, by role then e-mail; `role` and `practiceId` narrow the list. */
  async listUsers(filter: { role?: Role; practiceId?: string }): Promise<UserView[]> {
    const rows = await this.dataSource.query(
      `SELECT id, email, role, practice_id, practitioner_id, created_at FROM app_user
        WHERE ($1::text IS NULL OR role = $1) AND ($2::uuid IS NULL OR practice_id = $2)
        ORDER BY role, lower(email), id LIMIT 5000`,
      [filter.role ?? null, filter.practiceId ?? null],
    );
    return rows.map((r: any) => ({
      id: r.id,
      email: r.email,
      role: r.role,
      practiceId: r.practice_id ?? undefined,
      practitionerId: r.practitioner_id ?? undefined,
      createdAt: r.created_at.toISOString(),
    }));
  }

  async createApiKey(name: string, role: Role, practiceId?: string): Promise<{ id: string; key: string; name: string; role: Role }> {
    const key = `snp_${randomBytes(24).toString('base64url')}`;
    const saved = await this.apiKeys.save(this.apiKeys.create({ name, role, practiceId: practiceId ?? null, keyHash: sha256(key) }));
    return { id: saved.id, key, name, role };
  }
}
