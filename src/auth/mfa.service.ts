import { Injectable } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import { toDataURL } from 'qrcode';
import { DataSource, EntityManager } from 'typeorm';
import { updateReturning } from '../database/returning';
import { ConflictError, UnprocessableError } from '../errors/domain-errors';
import { sha256 } from './digest';

/** The name authenticator apps show above the code. */
const ISSUER = 'CPTS SNP';
const RECOVERY_CODES = 10;
/** Codes of the previous and next 30-second step are accepted too (clocks drift). */
const TOLERANCE_SECONDS = 30;

export interface Enrolment {
  secret: string;
  otpauthUrl: string;
  /** The otpauth URL as a QR code (PNG data URL) drawn here: no outside service sees the secret. */
  qrCode: string;
}

/** The account's second factor, as verification needs it. */
export interface MfaState {
  id: string;
  email: string;
  mfa_secret: string | null;
  mfa_pending_secret: string | null;
  mfa_enabled_at: Date | null;
  mfa_last_step: string | null;
}

/** One recovery code: 10 characters from an alphabet without look-alikes, grouped 5-5 to be read aloud. */
function recoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** The 30-second step a valid TOTP code matched (otplib's result type also covers HOTP, which has none). */
const stepOf = (result: object) => (result as { timeStep: number }).timeStep;

const normaliseRecoveryCode = (code: string) => code.trim().toLowerCase().replace(/[\s-]/g, '');

/**
 * TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s) with otplib, and 10 single-use recovery
 * codes stored hashed. A code is accepted once: the time step it matched is recorded with a
 * conditional UPDATE, so the same code sent twice (or by two requests at once) works once.
 */
@Injectable()
export class MfaService {
  constructor(private readonly dataSource: DataSource) {}

  state(userId: string, em: Pick<EntityManager, 'query'> = this.dataSource): Promise<MfaState | undefined> {
    return em
      .query(`SELECT id, email, mfa_secret, mfa_pending_secret, mfa_enabled_at, mfa_last_step FROM app_user WHERE id = $1`, [userId])
      .then((rows: MfaState[]) => rows[0]);
  }

  /** A new secret to enrol (replacing one not yet confirmed); 409 when a second factor is already in use. */
  async enrol(user: MfaState): Promise<Enrolment> {
    if (user.mfa_enabled_at) throw new ConflictError('mfa_already_enrolled', 'Un second facteur est déjà actif sur ce compte : un administrateur peut le réinitialiser');
    const secret = generateSecret();
    await this.dataSource.query(`UPDATE app_user SET mfa_pending_secret = $2, updated_at = now() WHERE id = $1 AND mfa_enabled_at IS NULL`, [user.id, secret]);
    const otpauthUrl = generateURI({ issuer: ISSUER, label: user.email, secret });
    return { secret, otpauthUrl, qrCode: await toDataURL(otpauthUrl, { margin: 2, scale: 5 }) };
  }

  /**
   * Checks a code for an account: a TOTP code of its active secret, else one of its recovery
   * codes (used up). For an account still enrolling, the code confirms the pending secret, which
   * becomes active; its 10 recovery codes are answered then, once. Null when the code is wrong.
   */
  async check(user: MfaState, code: string): Promise<{ recoveryCodes?: string[] } | null> {
    const digits = code.replace(/\s/g, '');
    if (user.mfa_enabled_at && user.mfa_secret) {
      if (/^\d{6}$/.test(digits) && (await this.acceptTotp(user.id, user.mfa_secret, digits, user.mfa_last_step))) return {};
      return (await this.useRecoveryCode(user.id, code)) ? {} : null;
    }
    if (!user.mfa_pending_secret) throw new UnprocessableError('mfa_not_enrolled', 'Aucun second facteur en cours d’enrôlement : commencez par POST /auth/mfa/enrol');
    if (!/^\d{6}$/.test(digits)) return null;
    const result = await verify({ secret: user.mfa_pending_secret, token: digits, epochTolerance: TOLERANCE_SECONDS });
    if (!result.valid) return null;
    return this.dataSource.transaction(async (em) => {
      const done = await updateReturning(
        em,
        `UPDATE app_user SET mfa_secret = mfa_pending_secret, mfa_pending_secret = NULL, mfa_enabled_at = now(), mfa_last_step = $3, updated_at = now()
          WHERE id = $1 AND mfa_enabled_at IS NULL AND mfa_pending_secret = $2 RETURNING id`,
        [user.id, user.mfa_pending_secret, stepOf(result)],
      );
      if (!done.length) return null;
      const codes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
      await em.query(`DELETE FROM mfa_recovery_code WHERE user_id = $1`, [user.id]);
      await em.query(`INSERT INTO mfa_recovery_code (user_id, code_hash) SELECT $1, unnest($2::char(64)[])`, [user.id, codes.map((c) => sha256(normaliseRecoveryCode(c)))]);
      return { recoveryCodes: codes };
    });
  }

  /** An admin's reset (lost phone): the account enrols again at its next sign-in. */
  async reset(userId: string, em: Pick<EntityManager, 'query'>): Promise<void> {
    await em.query(`UPDATE app_user SET mfa_secret = NULL, mfa_pending_secret = NULL, mfa_enabled_at = NULL, mfa_last_step = NULL, updated_at = now() WHERE id = $1`, [userId]);
    await em.query(`DELETE FROM mfa_recovery_code WHERE user_id = $1`, [userId]);
  }

  private async acceptTotp(userId: string, secret: string, token: string, lastStep: string | null): Promise<boolean> {
    const result = await verify({ secret, token, epochTolerance: TOLERANCE_SECONDS, ...(lastStep !== null ? { afterTimeStep: Number(lastStep) } : {}) });
    if (!result.valid) return false;
    // Only if no other request took this step (or a later one) meanwhile.
    const rows = await updateReturning(
      this.dataSource,
      `UPDATE app_user SET mfa_last_step = $2 WHERE id = $1 AND (mfa_last_step IS NULL OR mfa_last_step < $2) RETURNING id`,
      [userId, stepOf(result)],
    );
    return rows.length === 1;
  }

  private async useRecoveryCode(userId: string, code: string): Promise<boolean> {
    const normalised = normaliseRecoveryCode(code);
    if (!/^[a-z0-9]{10}$/.test(normalised)) return false;
    const rows = await updateReturning(
      this.dataSource,
      `UPDATE mfa_recovery_code SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING user_id`,
      [userId, sha256(normalised)],
    );
    return rows.length === 1;
  }
}
