import { Injectable, Logger } from '@nestjs/common';
import { timingSafeEqual } from 'crypto';
import * as oidc from 'openid-client';
import { DataSource } from 'typeorm';
import { API_PREFIX } from '../api-prefix';
import { AppConfig } from '../config/app-config';
import { updateReturning } from '../database/returning';
import { UnauthorizedError } from '../errors/domain-errors';
import { AuthService } from './auth.service';
import { Challenges } from './challenges';
import { sha256 } from './digest';

/** A sign-in started at PSC must come back within this time. */
const LOGIN_SECONDS = 600;
/** The code handed to the page works once, within this time. */
const SIGNIN_CODE_SECONDS = 60;
/** PSC's identifier of a health professional: `8` then the RPPS (11 digits). */
const IDNPS_RPPS = /^8(\d{11})$/;

/** Two secrets equal, compared in constant time (absent: unequal). */
function sameSecret(a: string, b: string | undefined): boolean {
  if (!b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Why a sign-in through PSC did not end in a session, as `?signin_error=` tells the page. */
export type PscRefusal = 'psc_unavailable' | 'psc_refused' | 'bad_state' | 'psc_error' | 'unknown_person' | 'account_disabled' | 'ambiguous_person';

class PscRefused extends Error {
  constructor(readonly reason: PscRefusal, detail?: string) {
    super(detail ?? reason);
  }
}

/**
 * Pro Santé Connect, the national OpenID Connect sign-in of health professionals (e-CPS app or CPS
 * card), through openid-client: authorisation code with PKCE, `state` and `nonce`, `acr_values=eidas1`,
 * `scope=openid scope_all`, ID token RS256. PSC names the person by `SubjectNameID` (`8` + RPPS);
 * the account signed in is the GP account of that practitioner, or the account (a regulator's)
 * carrying that RPPS. PSC is the strong authentication: no second factor is asked after it.
 */
@Injectable()
export class PscService {
  private readonly logger = new Logger(PscService.name);
  private configuration?: Promise<oidc.Configuration>;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly challenges: Challenges,
    private readonly auth: AuthService,
  ) {}

  get enabled(): boolean {
    return !!this.config.PSC_DISCOVERY_URL;
  }

  /** Cookies of the sign-in travel over https only when the service is reached over https. */
  get secureCookies(): boolean {
    return (this.config.PUBLIC_URL ?? '').startsWith('https:');
  }

  private get redirectUri(): string {
    return `${this.config.PUBLIC_URL!.replace(/\/$/, '')}/${API_PREFIX}/auth/psc/callback`;
  }

  /** Where the page is, with `?signin=` or `?signin_error=`. */
  pageUrl(query: Record<string, string>): string {
    const base = (this.config.PUBLIC_URL ?? '').replace(/\/$/, '') || '';
    return `${base}/?${new URLSearchParams(query)}`;
  }

  /** PSC's metadata, discovered from the whole discovery URL (PSC's is not at the standard path); retried after a failure. */
  private metadata(): Promise<oidc.Configuration> {
    const url = new URL(this.config.PSC_DISCOVERY_URL!);
    const insecure = url.protocol === 'http:';
    this.configuration ??= oidc
      .discovery(url, this.config.PSC_CLIENT_ID!, { client_secret: this.config.PSC_CLIENT_SECRET, id_token_signed_response_alg: 'RS256' }, oidc.ClientSecretBasic(this.config.PSC_CLIENT_SECRET), {
        timeout: 10,
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((e) => {
        this.configuration = undefined;
        throw e;
      });
    return this.configuration;
  }

  /**
   * `GET /auth/psc/login`: the address at PSC to send the browser to, the sign-in's secrets kept
   * here, and the state the browser must bring back (its cookie: a sign-in is finished only by the
   * browser that started it, so nobody can slip their own sign-in into someone else's browser).
   */
  async start(): Promise<{ url: string; browserState?: string }> {
    if (!this.enabled) return { url: this.pageUrl({ signin_error: 'psc_unavailable' }) };
    let configuration: oidc.Configuration;
    try {
      configuration = await this.metadata();
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'Pro Santé Connect discovery failed');
      return { url: this.pageUrl({ signin_error: 'psc_unavailable' }) };
    }
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    await this.dataSource.query(
      `INSERT INTO psc_login (state_hash, nonce, code_verifier, expires_at) VALUES ($1, $2, $3, now() + $4 * interval '1 second')`,
      [sha256(state), nonce, codeVerifier, LOGIN_SECONDS],
    );
    const url = oidc
      .buildAuthorizationUrl(configuration, {
        redirect_uri: this.redirectUri,
        scope: 'openid scope_all',
        acr_values: 'eidas1',
        response_type: 'code',
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      })
      .toString();
    return { url, browserState: state };
  }

  /**
   * `GET /auth/psc/callback`: checks the state (once, within 10 minutes), exchanges the code
   * (PKCE, nonce, ID token signature and issuer checked by openid-client), reads SubjectNameID and
   * finds the account. `browserState`: the state this browser was given at the start (its cookie).
   * Answers where to send the browser: the page with a one-time code (and the code, for the
   * browser's cookie), or with the reason it failed.
   */
  async callback(query: Record<string, string | undefined>, browserState: string | undefined): Promise<{ url: string; code?: string }> {
    try {
      if (!this.enabled) throw new PscRefused('psc_unavailable');
      if (query.error) throw new PscRefused('psc_refused', query.error);
      if (!query.state || !query.code) throw new PscRefused('bad_state', 'state or code missing');
      if (!sameSecret(query.state, browserState)) throw new PscRefused('bad_state', 'not the browser that started');
      const [login] = await updateReturning(
        this.dataSource,
        `UPDATE psc_login SET used_at = now() WHERE state_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING nonce, code_verifier`,
        [sha256(query.state)],
      );
      if (!login) throw new PscRefused('bad_state', 'unknown, used or expired state');
      const configuration = await this.metadata();
      const current = new URL(this.redirectUri);
      for (const [k, v] of Object.entries(query)) if (v !== undefined) current.searchParams.set(k, v);
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(configuration, current, { pkceCodeVerifier: login.code_verifier, expectedState: query.state, expectedNonce: login.nonce, idTokenExpected: true });
      } catch (e) {
        throw new PscRefused('psc_error', (e as Error).message);
      }
      const claims = tokens.claims()!;
      // The strength PSC asserts for this sign-in (CPS card or e-CPS app): what was asked, nothing weaker.
      if (claims.acr !== 'eidas1') throw new PscRefused('psc_error', `acr ${String(claims.acr)}`);
      let subjectNameId = claims.SubjectNameID as string | undefined;
      if (!subjectNameId) {
        const info = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
        subjectNameId = info.SubjectNameID as string | undefined;
      }
      const rpps = IDNPS_RPPS.exec(String(subjectNameId ?? ''))?.[1];
      if (!rpps) throw new PscRefused('unknown_person', 'SubjectNameID is no RPPS');
      const accounts: Array<{ id: string; active: boolean }> = await this.dataSource.query(
        `SELECT u.id, u.active FROM app_user u LEFT JOIN practitioner pr ON pr.id = u.practitioner_id
          WHERE (u.role = 'gp' AND pr.rpps = $1) OR u.rpps = $1`,
        [rpps],
      );
      if (!accounts.length) throw new PscRefused('unknown_person');
      const active = accounts.filter((a) => a.active);
      if (!active.length) throw new PscRefused('account_disabled');
      if (active.length > 1) throw new PscRefused('ambiguous_person');
      const code = await this.challenges.create('signin', active[0].id, SIGNIN_CODE_SECONDS);
      return { url: this.pageUrl({ signin: code }), code };
    } catch (e) {
      const reason: PscRefusal = e instanceof PscRefused ? e.reason : 'psc_error';
      // The reason only: never a token, a code or the person's identifiers.
      this.logger.warn({ reason }, 'Pro Santé Connect sign-in refused');
      return { url: this.pageUrl({ signin_error: reason }) };
    }
  }

  /**
   * `POST /auth/psc/exchange`: the session of the account PSC named, for a code used once within
   * 60 s, by the browser it was given to (`browserCode`, its cookie).
   */
  async exchange(code: string, browserCode: string | undefined, ip: string) {
    if (!sameSecret(code, browserCode)) throw new UnauthorizedError('Ce code de connexion Pro Santé Connect a été délivré à un autre navigateur : reconnectez-vous');
    const userId = await this.challenges.redeem('signin', code);
    if (!userId) throw new UnauthorizedError('Code de connexion Pro Santé Connect expiré ou déjà utilisé : reconnectez-vous');
    const account = await this.auth.account(userId);
    if (!account?.active) throw new UnauthorizedError('Ce compte est désactivé : adressez-vous à la coordination de la CPTS');
    return this.auth.signedIn(account, ip);
  }
}
