import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts that can be disabled, sessions that can be ended, and a second factor.
 *
 * - Every account of a CPTS names its community (coordinators always did; GPs and secretaries now
 *   carry their practice's), so each statement filters on `community_id = caller's` directly.
 * - `token_version`: a password change, a role or link change and deactivation bump it; tokens
 *   carry the version they were issued under and are refused once it moved. Sign-out refuses one
 *   token (`revoked_token`, until it would have expired anyway). Every change is announced with
 *   NOTIFY snp_auth, so every API process drops what it cached about the account at once.
 * - `signing_key`: the key tokens are signed with when JWT_SECRET is not set, generated once by
 *   the database (never a built-in default), shared by every process.
 * - `auth_challenge`: short-lived one-time secrets (the step between password and second factor,
 *   the code a Pro Santé Connect sign-in hands to the page), stored hashed, with their attempts.
 * - `psc_login`: the state, nonce and PKCE verifier of a Pro Santé Connect sign-in under way.
 * - TOTP: the secret being enrolled, the one in use, the last time step accepted (a code works
 *   once), and 10 single-use recovery codes stored hashed.
 * - API keys of a coordination name their community; a revoked key is refused at once.
 */
export class AccountsAndSessions1764547200000 implements MigrationInterface {
  name = 'AccountsAndSessions1764547200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE app_user
        ADD COLUMN active              boolean NOT NULL DEFAULT true,
        ADD COLUMN token_version       integer NOT NULL DEFAULT 0,
        ADD COLUMN rpps                char(11),
        ADD COLUMN mfa_secret          text,
        ADD COLUMN mfa_pending_secret  text,
        ADD COLUMN mfa_enabled_at      timestamptz,
        ADD COLUMN mfa_last_step       bigint,
        ADD COLUMN updated_at          timestamptz NOT NULL DEFAULT now()`);
    // A GP's or secretary's community is their practice's; a demo's lone coordinator joins the lone CPTS.
    await q.query(`UPDATE app_user u SET community_id = p.community_id FROM practice p WHERE u.practice_id = p.id AND u.community_id IS NULL`);
    await q.query(`
      UPDATE app_user SET community_id = (SELECT id FROM community)
       WHERE role = 'coordinator' AND community_id IS NULL AND (SELECT count(*) FROM community) = 1`);
    // The person Pro Santé Connect names (RPPS/ADELI of a regulator; a GP's comes from their practitioner).
    await q.query(`CREATE UNIQUE INDEX app_user_rpps_uq ON app_user (rpps) WHERE rpps IS NOT NULL`);
    await q.query(`CREATE INDEX app_user_community_idx ON app_user (community_id, role)`);

    await q.query(`ALTER TABLE api_key ADD COLUMN community_id uuid REFERENCES community(id)`);
    await q.query(`UPDATE api_key k SET community_id = p.community_id FROM practice p WHERE k.practice_id = p.id`);

    await q.query(`
      CREATE TABLE signing_key (
        id          smallint PRIMARY KEY CHECK (id = 1),
        secret      bytea NOT NULL CHECK (length(secret) >= 32),
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE revoked_token (
        jti         uuid PRIMARY KEY,
        user_id     uuid NOT NULL REFERENCES app_user(id),
        expires_at  timestamptz NOT NULL,
        revoked_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX revoked_token_expires_idx ON revoked_token (expires_at)`);

    await q.query(`
      CREATE TABLE auth_challenge (
        token_hash  char(64) PRIMARY KEY,
        purpose     text NOT NULL CHECK (purpose IN ('mfa', 'signin')),
        user_id     uuid NOT NULL REFERENCES app_user(id),
        expires_at  timestamptz NOT NULL,
        attempts    integer NOT NULL DEFAULT 0,
        used_at     timestamptz,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX auth_challenge_expires_idx ON auth_challenge (expires_at)`);

    await q.query(`
      CREATE TABLE psc_login (
        state_hash     char(64) PRIMARY KEY,
        nonce          text NOT NULL,
        code_verifier  text NOT NULL,
        expires_at     timestamptz NOT NULL,
        used_at        timestamptz
      )`);
    await q.query(`CREATE INDEX psc_login_expires_idx ON psc_login (expires_at)`);

    await q.query(`
      CREATE TABLE mfa_recovery_code (
        user_id    uuid NOT NULL REFERENCES app_user(id),
        code_hash  char(64) NOT NULL,
        used_at    timestamptz,
        PRIMARY KEY (user_id, code_hash)
      )`);

    // Every change that must end sessions elsewhere is announced; processes LISTEN and forget.
    await q.query(`
      CREATE FUNCTION announce_account_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.token_version IS DISTINCT FROM OLD.token_version OR NEW.active IS DISTINCT FROM OLD.active
           OR NEW.role IS DISTINCT FROM OLD.role OR NEW.practice_id IS DISTINCT FROM OLD.practice_id
           OR NEW.practitioner_id IS DISTINCT FROM OLD.practitioner_id OR NEW.community_id IS DISTINCT FROM OLD.community_id THEN
          PERFORM pg_notify('snp_auth', 'user:' || NEW.id);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER app_user_announce AFTER UPDATE ON app_user FOR EACH ROW EXECUTE FUNCTION announce_account_change()`);
    // A sign-out (revoked_token inserted) or a key revoked (api_key updated): `<kind>:<that row's key>`.
    await q.query(`
      CREATE FUNCTION announce_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('snp_auth', TG_ARGV[0] || ':' || (to_jsonb(NEW) ->> TG_ARGV[1]));
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER revoked_token_announce AFTER INSERT ON revoked_token FOR EACH ROW EXECUTE FUNCTION announce_row('token', 'jti')`);
    await q.query(`CREATE TRIGGER api_key_announce AFTER UPDATE ON api_key FOR EACH ROW EXECUTE FUNCTION announce_row('api_key', 'id')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS api_key_announce ON api_key`);
    await q.query(`DROP TRIGGER IF EXISTS revoked_token_announce ON revoked_token`);
    await q.query(`DROP TRIGGER IF EXISTS app_user_announce ON app_user`);
    await q.query(`DROP FUNCTION IF EXISTS announce_row()`);
    await q.query(`DROP FUNCTION IF EXISTS announce_account_change()`);
    for (const t of ['mfa_recovery_code', 'psc_login', 'auth_challenge', 'revoked_token', 'signing_key']) await q.query(`DROP TABLE IF EXISTS ${t}`);
    await q.query(`ALTER TABLE api_key DROP COLUMN IF EXISTS community_id`);
    await q.query(`DROP INDEX IF EXISTS app_user_community_idx`);
    await q.query(`DROP INDEX IF EXISTS app_user_rpps_uq`);
    await q.query(`
      ALTER TABLE app_user DROP COLUMN IF EXISTS active, DROP COLUMN IF EXISTS token_version, DROP COLUMN IF EXISTS rpps,
        DROP COLUMN IF EXISTS mfa_secret, DROP COLUMN IF EXISTS mfa_pending_secret, DROP COLUMN IF EXISTS mfa_enabled_at,
        DROP COLUMN IF EXISTS mfa_last_step, DROP COLUMN IF EXISTS updated_at`);
  }
}
