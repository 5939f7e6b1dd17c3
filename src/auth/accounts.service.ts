import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { randomBytes } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import { updateReturning } from '../database/returning';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../errors/domain-errors';
import { AuditService } from './audit.service';
import { sha256 } from './digest';
import { MfaService } from './mfa.service';
import { Principal, Role } from './roles';
import { SessionsService } from './sessions.service';
import { violatesUnique } from '../database/unique-violation';

export interface NewUser {
  email: string;
  password: string;
  role: Role;
  practiceId?: string | null;
  practitionerId?: string | null;
  communityId?: string | null;
  rpps?: string | null;
}

export interface UserChange {
  active?: boolean;
  role?: Role;
  practiceId?: string | null;
  practitionerId?: string | null;
  /** A coordinator's CPTS (admins only: a coordinator's own community never changes). */
  communityId?: string | null;
  /** A new password, set by an admin (a reset). */
  password?: string;
}

/** An account as `GET /users` shows it: never its password hash nor its second factor's secret. */
export interface UserView {
  id: string;
  email: string;
  role: Role;
  practiceId?: string;
  practitionerId?: string;
  communityId?: string;
  rpps?: string;
  active: boolean;
  mfa: boolean;
  createdAt: string;
}

const USER_COLUMNS = `id, email, role, practice_id, practitioner_id, community_id, rpps, active, mfa_enabled_at IS NOT NULL AS mfa, created_at`;

const toView = (r: any): UserView => ({
  id: r.id,
  email: r.email,
  role: r.role,
  practiceId: r.practice_id ?? undefined,
  practitionerId: r.practitioner_id ?? undefined,
  communityId: r.community_id ?? undefined,
  rpps: r.rpps ?? undefined,
  active: r.active,
  mfa: r.mfa,
  createdAt: r.created_at.toISOString(),
});

/** Roles a coordinator may give: the people of their own CPTS, never an admin nor the regulation (deployment-wide). */
const COORDINATOR_GRANTS: Role[] = ['coordinator', 'gp', 'secretary'];

/** The community a coordinator acts for: every account they touch must belong to it (null for admins: any). */
function communityScope(actor: Principal): string | null {
  if (actor.role === 'admin') return null;
  if (!actor.communityId) throw new ForbiddenError('Ce compte de coordination n’est rattaché à aucune CPTS');
  return actor.communityId;
}

/**
 * Accounts and API keys. A coordinator manages their own community's non-admin accounts only;
 * admins manage every account, create regulators and API keys. Every change that alters what an
 * account may do (role, links, deactivation) ends its sessions at once (token version).
 */
const emailTaken = () => new ConflictError('email_taken', 'Un compte existe déjà avec cet e-mail');

@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly mfa: MfaService,
    private readonly audit: AuditService,
  ) {}

  createBootstrapAdmin(email: string, password: string): Promise<UserView> {
    return this.insert({ email, password, role: 'admin' }, null);
  }

  async create(actor: Principal, input: NewUser): Promise<UserView> {
    const scope = communityScope(actor);
    if (scope && !COORDINATOR_GRANTS.includes(input.role)) {
      throw new ForbiddenError(`La coordination crée des comptes ${COORDINATOR_GRANTS.join(', ')} de sa CPTS ; les comptes ${input.role} sont créés par un administrateur`);
    }
    // The RPPS an account carries names who Pro Santé Connect signs in: an admin's decision, for a
    // regulator only (a GP is known by their practitioner's RPPS).
    if (input.rpps && (scope || input.role !== 'regulator')) {
      throw new ForbiddenError('Seul un administrateur donne un RPPS à un compte, et seulement à un compte de régulation');
    }
    const user = await this.insert(input, scope);
    await this.audit.record(actor, 'create', 'user', user.id);
    return user;
  }

  /** Checks the role's links (and the coordinator's community), then inserts; `scope`: the coordinator's community. */
  private insert(input: NewUser, scope: string | null): Promise<UserView> {
    return this.dataSource.transaction(async (em) => {
      const links = await this.links(em, input.role, input, scope);
      const exists = await em.query(`SELECT 1 FROM app_user WHERE lower(email) = lower($1)`, [input.email]);
      if (exists.length) throw emailTaken();
      if (input.rpps && (await em.query(`SELECT 1 FROM app_user WHERE rpps = $1 UNION ALL SELECT 1 FROM practitioner WHERE rpps = $1`, [input.rpps])).length) {
        throw new ConflictError('rpps_taken', 'Ce numéro RPPS est déjà celui d’un compte ou d’un praticien inscrit');
      }
      const [row] = await em.query(
        `INSERT INTO app_user (email, password_hash, role, practice_id, practitioner_id, community_id, rpps)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${USER_COLUMNS}`,
        [input.email, await argon2.hash(input.password), input.role, links.practiceId, links.practitionerId, links.communityId, input.rpps ?? null],
      );
      return toView(row);
    }).catch((e) => {
      // Two creations of one e-mail at once (two replicas bootstrapping their admin, a double click):
      // the check above saw neither, the unique index stops the second; the same answer as the check.
      throw violatesUnique(e, 'app_user_email_uq') ? emailTaken() : e;
    });
  }

  /**
   * The practice, practitioner and community an account of `role` is attached to, from what was
   * given: a GP through their practitioner, a secretary through their practice, a coordinator
   * through their community; admins and regulators belong to no CPTS. 403 when outside `scope`.
   */
  private async links(em: EntityManager, role: Role, given: { practiceId?: string | null; practitionerId?: string | null; communityId?: string | null }, scope: string | null) {
    if (role === 'admin' || role === 'regulator') return { practiceId: null, practitionerId: null, communityId: null };
    if (role === 'coordinator') {
      const communityId = given.communityId ?? scope;
      if (!communityId) throw new UnprocessableError('community_required', 'Un compte de coordination doit indiquer sa CPTS (communityId)');
      if (scope && communityId !== scope) throw new ForbiddenError('Vous ne gérez que les comptes de votre CPTS');
      if (!(await em.query(`SELECT 1 FROM community WHERE id = $1`, [communityId])).length) throw new UnprocessableError('reference_not_found', 'communityId ne correspond à aucune CPTS');
      return { practiceId: null, practitionerId: null, communityId };
    }
    if (role === 'gp' && !given.practitionerId) throw new UnprocessableError('practitioner_required', 'Un compte médecin doit indiquer son practitionerId');
    if (!given.practiceId && !given.practitionerId) throw new UnprocessableError('practice_required', 'Un compte secrétariat doit être rattaché à un cabinet (practiceId)');
    const [found] = given.practitionerId
      ? await em.query(`SELECT pr.practice_id, p.community_id FROM practitioner pr JOIN practice p ON p.id = pr.practice_id WHERE pr.id = $1`, [given.practitionerId])
      : await em.query(`SELECT id AS practice_id, community_id FROM practice WHERE id = $1`, [given.practiceId]);
    if (!found) throw new UnprocessableError('reference_not_found', given.practitionerId ? 'practitionerId ne correspond à aucun praticien' : 'practiceId ne correspond à aucun cabinet');
    if (given.practiceId && given.practiceId !== found.practice_id) throw new UnprocessableError('practice_mismatch', "Ce praticien n'exerce pas dans le cabinet indiqué");
    if (scope && found.community_id !== scope) throw new ForbiddenError('Ce cabinet n’appartient pas à votre CPTS');
    return { practiceId: found.practice_id as string, practitionerId: given.practitionerId ?? null, communityId: found.community_id as string };
  }

  /** `GET /users`: a coordinator's own community, an admin every account; by role then e-mail. */
  async list(actor: Principal, filter: { role?: Role; practiceId?: string }): Promise<UserView[]> {
    const scope = communityScope(actor);
    const rows = await this.dataSource.query(
      `SELECT ${USER_COLUMNS} FROM app_user
        WHERE ($1::uuid IS NULL OR community_id = $1) AND ($2::text IS NULL OR role = $2) AND ($3::uuid IS NULL OR practice_id = $3)
        ORDER BY role, lower(email), id LIMIT 5000`,
      [scope, filter.role ?? null, filter.practiceId ?? null],
    );
    return rows.map(toView);
  }

  /**
   * `PATCH /users/:id`: activate or deactivate, change the role or the links. Any change ends the
   * account's sessions at once. A coordinator touches only their community's non-admin accounts
   * and never grants admin or regulator (403); the last active admin stays one (409).
   */
  async update(actor: Principal, id: string, change: UserChange): Promise<UserView> {
    const scope = communityScope(actor);
    const view = await this.dataSource.transaction(async (em) => {
      const [target] = await em.query(
        `SELECT id, role, practice_id, practitioner_id, community_id, active, ($2::uuid IS NULL OR community_id = $2) AS in_scope
           FROM app_user WHERE id = $1 FOR UPDATE`,
        [id, scope],
      );
      if (!target) throw new NotFoundError('Compte');
      if (!target.in_scope || (scope && !COORDINATOR_GRANTS.includes(target.role))) throw new ForbiddenError('Vous ne gérez que les comptes non administrateurs de votre CPTS');
      if (change.password !== undefined && scope) throw new ForbiddenError('Seul un administrateur change le mot de passe d’un autre compte');
      const role: Role = change.role ?? target.role;
      if (scope && !COORDINATOR_GRANTS.includes(role)) throw new ForbiddenError(`La coordination ne donne que les rôles ${COORDINATOR_GRANTS.join(', ')}`);
      const relinked = change.role !== undefined || change.practiceId !== undefined || change.practitionerId !== undefined || change.communityId !== undefined;
      // What is not given is kept, but for a practitioner link only a GP keeps, and a practice a new practitioner brings.
      const practitionerId = change.practitionerId !== undefined ? change.practitionerId : role === 'gp' ? target.practitioner_id : null;
      const practiceId = change.practiceId !== undefined ? change.practiceId : change.practitionerId !== undefined ? null : target.practice_id;
      const links = relinked
        ? await this.links(em, role, { practiceId, practitionerId, communityId: (!scope && change.communityId) || target.community_id }, scope)
        : { practiceId: target.practice_id, practitionerId: target.practitioner_id, communityId: target.community_id };
      const active = change.active ?? target.active;
      if (target.role === 'admin' && target.active && (!active || role !== 'admin')) {
        const [{ others }] = await em.query(`SELECT count(*)::int AS others FROM app_user WHERE role = 'admin' AND active AND id <> $1`, [id]);
        if (!others) throw new ConflictError('last_admin', 'C’est le dernier compte administrateur actif : créez-en un autre d’abord');
      }
      const passwordHash = change.password !== undefined ? await argon2.hash(change.password) : null;
      const [row] = await updateReturning(
        em,
        `UPDATE app_user SET active = $2, role = $3, practice_id = $4, practitioner_id = $5, community_id = $6, password_hash = coalesce($7, password_hash),
                token_version = token_version + 1, updated_at = now()
          WHERE id = $1 RETURNING ${USER_COLUMNS}`,
        [id, active, role, links.practiceId, links.practitionerId, links.communityId, passwordHash],
      );
      await em.query(`UPDATE auth_challenge SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [id]);
      await this.audit.record(actor, 'update', 'user', id, em);
      return toView(row);
    });
    return view;
  }

  /** `DELETE /users/:id/mfa` (admin): the account enrols a second factor again at its next sign-in; its sessions end. */
  async resetMfa(actor: Principal, id: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const rows = await em.query(`SELECT 1 FROM app_user WHERE id = $1 FOR UPDATE`, [id]);
      if (!rows.length) throw new NotFoundError('Compte');
      await this.mfa.reset(id, em);
      await this.sessions.revokeAll(id, em);
      await this.audit.record(actor, 'mfa_reset', 'user', id, em);
    });
  }

  async createApiKey(actor: Principal, input: { name: string; role: Role; practiceId?: string; communityId?: string }) {
    if (input.role === 'gp') throw new UnprocessableError('role_not_for_api_key', 'Une clé d’API ne peut pas avoir le rôle gp (un médecin se connecte en personne)');
    const key = `snp_${randomBytes(24).toString('base64url')}`;
    const saved = await this.dataSource.transaction(async (em) => {
      const links = await this.links(em, input.role, input, null);
      const [row] = await em.query(
        `INSERT INTO api_key (name, role, practice_id, community_id, key_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
        [input.name, input.role, links.practiceId, links.communityId, sha256(key)],
      );
      await this.audit.record(actor, 'create', 'api_key', row.id, em);
      return { ...row, ...links };
    });
    return { id: saved.id, key, name: input.name, role: input.role, practiceId: saved.practiceId ?? undefined, communityId: saved.communityId ?? undefined };
  }

  async listApiKeys() {
    const rows = await this.dataSource.query(`SELECT id, name, role, practice_id, community_id, created_at, revoked_at FROM api_key ORDER BY created_at DESC, id LIMIT 1000`);
    return rows.map((r: any) => ({
      id: r.id, name: r.name, role: r.role, practiceId: r.practice_id ?? undefined, communityId: r.community_id ?? undefined,
      createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString(),
    }));
  }

  /** `DELETE /api-keys/:id`: refused at once by every process; again → 204; unknown → 404. */
  async revokeApiKey(actor: Principal, id: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const revoked = await updateReturning(em, `UPDATE api_key SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id`, [id]);
      if (!revoked.length) {
        if (!(await em.query(`SELECT 1 FROM api_key WHERE id = $1`, [id])).length) throw new NotFoundError('Clé d’API');
        return;
      }
      await this.audit.record(actor, 'revoke', 'api_key', id, em);
    });
  }
}
