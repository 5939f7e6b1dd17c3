import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import * as argon2 from 'argon2';
import { randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ConflictError, ForbiddenError, UnauthorizedError } from '../errors/domain-errors';
import { LimitsService } from '../limits/limits.service';
import { AccountsService } from './accounts.service';
import { AuditService } from './audit.service';
import { Challenges } from './challenges';
import { MfaService } from './mfa.service';
import { Principal, Role } from './roles';
import { AccountRow, SessionsService } from './sessions.service';

/** The step between a correct password and the second factor: 5 minutes, 5 codes. */
const MFA_TOKEN_SECONDS = 300;
export const MFA_TOKEN_ATTEMPTS = 5;

/** What a sign-in answers: a session, or the second factor to give (or to enrol). */
export type SignInAnswer =
  | { accessToken: string; user: SignedInUser; recoveryCodes?: string[] }
  | { mfa: 'required' | 'enrol'; mfaToken: string };

export interface SignedInUser {
  id: string;
  email: string;
  role: Role;
  practiceId?: string;
  practitionerId?: string;
  communityId?: string;
  /** Whether a second factor protects the account. */
  mfa: boolean;
}

type Account = AccountRow & { email: string; password_hash: string; mfa_enabled_at: Date | null };

const ACCOUNT_SQL = `SELECT id, email, password_hash, role, practice_id, practitioner_id, community_id, active, token_version, mfa_enabled_at FROM app_user`;

/**
 * Signing in (password, then the second factor when the account has one or must enrol one),
 * signing out, changing one's password, and telling who calls from the request's credentials.
 * Sign-in attempts count against LOGIN_RATE_LIMIT per client address, failures against the
 * account's lockout (LimitsService, shared through Redis).
 */
@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);
  // A well-formed hash to verify against when the e-mail is unknown, so timing does not reveal accounts.
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly accounts: AccountsService,
    private readonly limits: LimitsService,
    private readonly mfa: MfaService,
    private readonly challenges: Challenges,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.config;
    if (!email || !password) return;
    const [{ admins }] = await this.dataSource.query(`SELECT count(*)::int AS admins FROM app_user WHERE role = 'admin'`);
    if (admins > 0) return;
    await this.accounts.createBootstrapAdmin(email, password).catch((e) => {
      // Created meanwhile by another process starting with this one (a first deployment's replicas).
      if (!(e instanceof ConflictError)) throw e;
    });
    this.logger.log('bootstrap admin created');
  }

  /** `POST /auth/login`. */
  async login(email: string, password: string, ip: string): Promise<SignInAnswer> {
    await this.limits.signInAttempt(ip);
    const account = await this.checkPassword(email, password, ip);
    if (account.mfa_enabled_at) return { mfa: 'required', mfaToken: await this.challenges.create('mfa', account.id, MFA_TOKEN_SECONDS) };
    if (this.config.MFA_REQUIRED) return { mfa: 'enrol', mfaToken: await this.challenges.create('mfa', account.id, MFA_TOKEN_SECONDS) };
    return this.signedIn(account, ip);
  }

  /** `POST /auth/mfa/enrol`: with the sign-in's mfaToken, or as a signed-in user adding a second factor. */
  async enrolMfa(mfaToken: string | undefined, principal: Principal | undefined) {
    const userId = mfaToken ? await this.challenges.peek('mfa', mfaToken, MFA_TOKEN_ATTEMPTS) : principal?.kind === 'user' ? principal.id : null;
    if (!userId) throw new UnauthorizedError(mfaToken ? 'Étape de connexion expirée : reconnectez-vous' : 'Connectez-vous, ou donnez le mfaToken reçu à la connexion');
    const state = await this.mfa.state(userId);
    if (!state) throw new UnauthorizedError('Compte inconnu');
    return this.mfa.enrol(state);
  }

  /**
   * `POST /auth/mfa/verify`: a TOTP code or a recovery code, with the sign-in's mfaToken (5 tries
   * in 5 minutes), or as a signed-in user confirming their enrolment. Answers the session, and the
   * recovery codes once, when this code confirmed an enrolment.
   */
  async verifyMfa(mfaToken: string | undefined, code: string, principal: Principal | undefined, ip: string): Promise<SignInAnswer> {
    await this.limits.signInAttempt(ip);
    const userId = mfaToken ? await this.challenges.attempt('mfa', mfaToken, MFA_TOKEN_ATTEMPTS) : principal?.kind === 'user' ? principal.id : null;
    if (!userId) throw new UnauthorizedError(mfaToken ? 'Étape de connexion expirée ou trop d’essais : reconnectez-vous' : 'Connectez-vous, ou donnez le mfaToken reçu à la connexion');
    const [account] = await this.dataSource.query(`${ACCOUNT_SQL} WHERE id = $1`, [userId]);
    if (!account?.active) throw new UnauthorizedError('Ce compte est désactivé : adressez-vous à la coordination de la CPTS');
    await this.limits.assertUnlocked(account.id);
    const state = (await this.mfa.state(userId))!;
    const accepted = await this.mfa.check(state, code);
    if (!accepted) {
      await this.limits.signInFailed(account.id);
      await this.audit.record(this.asPrincipal(account, ip), 'login_failed', 'user', account.id);
      throw new UnauthorizedError('Code incorrect ou déjà utilisé : saisissez le code affiché maintenant par l’application');
    }
    if (mfaToken) await this.challenges.use(mfaToken);
    const answer = await this.signedIn({ ...account, mfa_enabled_at: account.mfa_enabled_at ?? new Date() }, ip);
    return accepted.recoveryCodes ? { ...answer, recoveryCodes: accepted.recoveryCodes } : answer;
  }

  /** The session of an account that proved who it is (password and second factor, or Pro Santé Connect). */
  async signedIn(account: Account, ip: string): Promise<{ accessToken: string; user: SignedInUser }> {
    await this.limits.signInSucceeded(account.id);
    await this.audit.record(this.asPrincipal(account, ip), 'login', 'user', account.id);
    return {
      accessToken: await this.sessions.issue(account),
      user: {
        id: account.id, email: account.email, role: account.role,
        practiceId: account.practice_id ?? undefined, practitionerId: account.practitioner_id ?? undefined, communityId: account.community_id ?? undefined,
        mfa: !!account.mfa_enabled_at,
      },
    };
  }

  /** An account by id as signedIn() needs it (Pro Santé Connect's exchange). */
  async account(id: string): Promise<Account | undefined> {
    return (await this.dataSource.query(`${ACCOUNT_SQL} WHERE id = $1`, [id]))[0];
  }

  /** `POST /auth/logout`: that token is refused from now on. */
  async logout(principal: Principal): Promise<void> {
    await this.sessions.revokeToken(principal);
    await this.audit.record(principal, 'logout', 'user', principal.kind === 'user' ? principal.id : null);
  }

  /** `POST /auth/password`: every earlier token of the account is refused from now on. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    if (principal.kind !== 'user') throw new ForbiddenError('Une clé d’API n’a pas de mot de passe');
    await this.limits.signInAttempt(principal.ip ?? '');
    const [{ email }] = await this.dataSource.query(`SELECT email FROM app_user WHERE id = $1`, [principal.id]);
    await this.checkPassword(email, currentPassword, principal.ip ?? '');
    if (currentPassword === newPassword) throw new ConflictError('password_unchanged', 'Le nouveau mot de passe doit être différent de l’ancien');
    const hash = await argon2.hash(newPassword);
    await this.dataSource.transaction(async (em) => {
      await em.query(`UPDATE app_user SET password_hash = $2, updated_at = now() WHERE id = $1`, [principal.id, hash]);
      await this.sessions.revokeAll(principal.id, em);
      await this.audit.record(principal, 'update', 'user', principal.id, em);
    });
  }

  /**
   * The caller of a request: `Authorization: Bearer <token>` or `X-Api-Key`. Pages a browser opens
   * directly (the queue board) may also use `Authorization: Basic` e-mail:password (`basic`), under
   * the same sign-in limits, and only for accounts without a second factor when none is required.
   */
  async authenticate(headers: Record<string, string | string[] | undefined>, ip: string, opts: { basic?: boolean } = {}): Promise<Principal> {
    const header = headers['authorization'];
    const apiKey = headers['x-api-key'];
    let principal: Principal | undefined;
    if (typeof header === 'string' && /^Bearer\s+/i.test(header)) principal = await this.sessions.verifyToken(header.replace(/^Bearer\s+/i, '').trim());
    else if (typeof apiKey === 'string' && apiKey.length > 0) principal = await this.sessions.verifyApiKey(apiKey);
    else if (opts.basic && typeof header === 'string' && /^Basic\s+/i.test(header)) principal = await this.basic(header, ip);
    if (!principal) throw new UnauthorizedError('Connectez-vous : en-tête Authorization: Bearer <jeton> ou X-Api-Key manquant');
    return { ...principal, ip };
  }

  private async basic(header: string, ip: string): Promise<Principal | undefined> {
    const decoded = Buffer.from(header.replace(/^Basic\s+/i, '').trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return undefined;
    await this.limits.signInAttempt(ip);
    const account = await this.checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1), ip);
    if (account.mfa_enabled_at || this.config.MFA_REQUIRED) {
      throw new UnauthorizedError('Ce compte se connecte avec un second facteur : ouvrez les files d’attente avec un jeton (Authorization: Bearer) ou une clé d’API admin');
    }
    return this.asPrincipal(account, ip);
  }

  /**
   * The account for this e-mail and password; a failure counts against the account's lockout. The
   * lockout is the account's (its id), not the e-mail as typed: however the address is spelt (case,
   * look-alike letters the database folds), one account has one count.
   */
  private async checkPassword(email: string, password: string, ip: string): Promise<Account> {
    const [account]: Account[] = await this.dataSource.query(`${ACCOUNT_SQL} WHERE lower(email) = lower($1)`, [email]);
    const lock = account?.id ?? `unknown:${email.toLowerCase()}`;
    await this.limits.assertUnlocked(lock);
    this.dummyHash ??= argon2.hash(randomBytes(16).toString('hex'));
    const ok = await argon2.verify(account?.password_hash ?? (await this.dummyHash), password);
    if (!account || !ok) {
      await this.limits.signInFailed(lock);
      if (account) await this.audit.record(this.asPrincipal(account, ip), 'login_failed', 'user', account.id);
      throw new UnauthorizedError('E-mail ou mot de passe incorrect');
    }
    if (!account.active) throw new UnauthorizedError('Ce compte est désactivé : adressez-vous à la coordination de la CPTS');
    return account;
  }

  private asPrincipal(a: AccountRow, ip: string): Principal {
    return { kind: 'user', id: a.id, role: a.role, practiceId: a.practice_id, practitionerId: a.practitioner_id, communityId: a.community_id, ip };
  }
}
