import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../errors/domain-errors';
import { REDIS } from '../redis/redis.module';
import { within } from '../redis/within';

/** A limit's verdict is waited for this long; past it (Redis down or hung) the request goes through. */
const REDIS_BUDGET_MS = 500;

export class TooManyRequestsError extends DomainError {
  constructor(code: 'rate_limited' | 'account_locked' | 'too_many_holds', message: string, retryAfterSeconds?: number) {
    super(429, code, message, retryAfterSeconds ? { retryAfterSeconds } : {});
  }
}

/**
 * Abuse limits shared by every API and worker process, kept in Redis (keys under QUEUE_PREFIX):
 * sign-in attempts per client address, failed sign-ins per account (lockout), and message budgets
 * per account and in all. When Redis does not answer within REDIS_BUDGET_MS the limit lets the
 * request through and says so in the log (once a minute): an outage of Redis must not stop a
 * regulator signing in; Postgres still decides who is signed in.
 */
@Injectable()
export class LimitsService {
  private readonly logger = new Logger(LimitsService.name);
  private readonly signIns: RateLimiterRedis;
  private readonly failures: RateLimiterRedis;
  private readonly accountMessages: RateLimiterRedis;
  private readonly allMessages: RateLimiterRedis;
  private lastWarning = 0;

  constructor(
    @Inject(REDIS) redis: Redis,
    private readonly config: AppConfig,
  ) {
    const prefix = `${config.QUEUE_PREFIX}:limit`;
    this.signIns = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:signin`, points: config.LOGIN_RATE_LIMIT, duration: 60 });
    const lockSeconds = config.ACCOUNT_LOCKOUT_MINUTES * 60;
    this.failures = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:failed`, points: config.ACCOUNT_LOCKOUT_ATTEMPTS, duration: lockSeconds });
    this.accountMessages = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:messages:account`, points: config.NOTIFY_BUDGET_PER_ACCOUNT_PER_HOUR, duration: 3600 });
    this.allMessages = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:messages:all`, points: config.NOTIFY_BUDGET_PER_HOUR, duration: 3600 });
  }

  /** One sign-in attempt (password or second-factor code) from this client address; 429 beyond LOGIN_RATE_LIMIT a minute. */
  async signInAttempt(clientAddress: string): Promise<void> {
    const res = await this.consume(this.signIns, clientAddress || 'unknown', 'sign-in rate');
    if (res === 'over') throw new TooManyRequestsError('rate_limited', 'Trop de tentatives de connexion depuis ce poste : patientez une minute.', 60);
  }

  /** 429 account_locked while the account (its id) has ACCOUNT_LOCKOUT_ATTEMPTS recent failures, whatever the address or password. */
  async assertUnlocked(account: string): Promise<void> {
    const res = await this.read(this.failures, account, 'account lockout');
    if (res && res.consumedPoints >= this.config.ACCOUNT_LOCKOUT_ATTEMPTS) {
      throw new TooManyRequestsError(
        'account_locked',
        `Compte verrouillé après ${this.config.ACCOUNT_LOCKOUT_ATTEMPTS} essais infructueux : réessayez dans ${Math.max(1, Math.ceil(res.msBeforeNext / 60_000))} minutes, ou demandez à la coordination.`,
        Math.ceil(res.msBeforeNext / 1000),
      );
    }
  }

  /** A wrong password or code for this account; the one that reaches the limit locks it for ACCOUNT_LOCKOUT_MINUTES from now. */
  async signInFailed(account: string): Promise<void> {
    const key = account;
    const res = await this.consume(this.failures, key, 'account lockout');
    if (res === 'over' || (res !== 'unknown' && res.consumedPoints >= this.config.ACCOUNT_LOCKOUT_ATTEMPTS)) {
      await this.quietly(this.failures.block(key, this.config.ACCOUNT_LOCKOUT_MINUTES * 60), 'account lockout');
    }
  }

  /** A complete sign-in: the account's failures are forgotten. */
  async signInSucceeded(account: string): Promise<void> {
    await this.quietly(this.failures.delete(account), 'account lockout');
  }

  /**
   * Charges one message to the account whose action caused it, then to the deployment's hourly
   * budget: `budget_exceeded` when either is spent (the message is then not sent).
   */
  async chargeMessage(accountId: string | null): Promise<'ok' | 'budget_exceeded'> {
    if (accountId && (await this.consume(this.accountMessages, accountId, 'message budget')) === 'over') return 'budget_exceeded';
    if ((await this.consume(this.allMessages, 'all', 'message budget')) === 'over') return 'budget_exceeded';
    return 'ok';
  }

  /** The limiter's answer, 'over' when the limit is passed, 'unknown' when Redis did not answer (let through). */
  private async consume(limiter: RateLimiterRedis, key: string, what: string): Promise<RateLimiterRes | 'over' | 'unknown'> {
    try {
      return await within(limiter.consume(key), REDIS_BUDGET_MS);
    } catch (e) {
      if (e instanceof RateLimiterRes) return 'over';
      this.warn(what, e);
      return 'unknown';
    }
  }

  private async read(limiter: RateLimiterRedis, key: string, what: string): Promise<RateLimiterRes | null> {
    try {
      return await within(limiter.get(key), REDIS_BUDGET_MS);
    } catch (e) {
      this.warn(what, e);
      return null;
    }
  }

  private async quietly(work: Promise<unknown>, what: string): Promise<void> {
    try {
      await within(work, REDIS_BUDGET_MS);
    } catch (e) {
      this.warn(what, e);
    }
  }

  private warn(what: string, e: unknown): void {
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    this.logger.warn({ limit: what, err: (e as Error)?.message }, 'limit not applied: Redis did not answer, requests let through');
  }
}
