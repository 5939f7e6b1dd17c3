import { Injectable } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { updateReturning } from '../database/returning';
import { sha256 } from './digest';

/** `mfa`: between a correct password and the second factor; `signin`: the code a Pro Santé Connect sign-in hands to the page. */
export type ChallengePurpose = 'mfa' | 'signin';

/**
 * Short-lived one-time secrets, stored hashed (table auth_challenge). Each try is counted by the
 * same conditional UPDATE that checks the secret, so a limit on tries holds under concurrency.
 */
@Injectable()
export class Challenges {
  constructor(private readonly dataSource: DataSource) {}

  async create(purpose: ChallengePurpose, userId: string, ttlSeconds: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.dataSource.query(
      `INSERT INTO auth_challenge (token_hash, purpose, user_id, expires_at) VALUES ($1, $2, $3, now() + $4 * interval '1 second')`,
      [sha256(token), purpose, userId, ttlSeconds],
    );
    return token;
  }

  /** The account of a live challenge, counting one try (null when unknown, expired, used, or out of tries). */
  async attempt(purpose: ChallengePurpose, token: string, maxAttempts: number): Promise<string | null> {
    const rows = await updateReturning(
      this.dataSource,
      `UPDATE auth_challenge SET attempts = attempts + 1
        WHERE token_hash = $1 AND purpose = $2 AND expires_at > now() AND used_at IS NULL AND attempts < $3 RETURNING user_id`,
      [sha256(token), purpose, maxAttempts],
    );
    return rows[0]?.user_id ?? null;
  }

  /** The account of a live challenge, without counting a try (enrolment reads it). */
  async peek(purpose: ChallengePurpose, token: string, maxAttempts: number): Promise<string | null> {
    const rows = await this.dataSource.query(
      `SELECT user_id FROM auth_challenge WHERE token_hash = $1 AND purpose = $2 AND expires_at > now() AND used_at IS NULL AND attempts < $3`,
      [sha256(token), purpose, maxAttempts],
    );
    return rows[0]?.user_id ?? null;
  }

  /** Spent: the challenge works no more. */
  async use(token: string): Promise<void> {
    await this.dataSource.query(`UPDATE auth_challenge SET used_at = now() WHERE token_hash = $1`, [sha256(token)]);
  }

  /** Once used: the account of a live one-try challenge, spent by the same statement (null otherwise). */
  async redeem(purpose: ChallengePurpose, token: string): Promise<string | null> {
    const rows = await updateReturning(
      this.dataSource,
      `UPDATE auth_challenge SET used_at = now(), attempts = attempts + 1
        WHERE token_hash = $1 AND purpose = $2 AND expires_at > now() AND used_at IS NULL RETURNING user_id`,
      [sha256(token), purpose],
    );
    return rows[0]?.user_id ?? null;
  }
}
