import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** Environment variables, parsed and validated once at start (the only reader of process.env). */
export class AppConfig {
  @IsString()
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/snp';

  @IsString()
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  /** Address the HTTP server listens on: this machine only unless told otherwise (0.0.0.0 in a container behind its proxy). */
  @IsString()
  HOST = '127.0.0.1';

  /**
   * Reverse proxies whose `X-Forwarded-For` is believed (comma-separated addresses or CIDR ranges,
   * e.g. `127.0.0.1,10.0.0.0/8`); empty: the direct peer's address is the client's.
   */
  @IsString() @Matches(/^[0-9a-fA-F.:/,\s]*$/, { message: 'TRUSTED_PROXIES : adresses IP ou plages CIDR séparées par des virgules' })
  TRUSTED_PROXIES = '';

  @IsOptional() @IsEmail()
  ADMIN_EMAIL?: string;

  @IsOptional() @IsString() @MinLength(10, { message: 'ADMIN_PASSWORD doit faire au moins 10 caractères' })
  ADMIN_PASSWORD?: string;

  @Transform(toBool) @IsBoolean()
  MIGRATIONS_RUN = true;

  /** Run queue workers and cron in this process (API replicas may set false and run `npm run start:worker`). */
  @Transform(toBool) @IsBoolean()
  WORKERS_ENABLED = true;

  /**
   * Signing key of access tokens (at least 32 characters). Unset: a random key generated on first
   * start and kept in the database, shared by every process; there is no built-in default.
   */
  @IsOptional() @IsString() @MinLength(32, { message: 'JWT_SECRET doit faire au moins 32 caractères (ou ne pas être défini : une clé aléatoire est alors gardée en base)' })
  JWT_SECRET?: string = undefined;

  @Transform(toInt) @IsInt() @Min(60)
  JWT_TTL_SECONDS = 8 * 3600;

  @Transform(toInt) @IsInt() @Min(30) @Max(1800)
  HOLD_SECONDS = 300;

  @Transform(toInt) @IsInt() @Min(1) @Max(60)
  TEMPLATE_HORIZON_DAYS = 7;

  /** Prefix of every BullMQ key in Redis (lets tests and demo share one Redis). */
  @IsString()
  QUEUE_PREFIX = 'snp';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Log one line per request (benchmarks turn it off to measure the service, not the terminal). */
  @Transform(toBool) @IsBoolean()
  REQUEST_LOGS = true;

  @Transform(toInt) @IsInt() @Min(1)
  DB_POOL_SIZE = 20;

  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  /** A request nobody could match turns `unmatched` this long before its window closes, so the caller can orient the patient elsewhere. */
  @Transform(toInt) @IsInt() @Min(0) @Max(720)
  MATCHING_ESCALATION_MARGIN_MINUTES = 60;

  /**
   * On SIGTERM (a deployment), a process stops taking work and finishes what it has (HTTP requests
   * in flight, active jobs); past this it exits anyway (jobs not finished are taken over by another worker).
   */
  @Transform(toInt) @IsInt() @Min(1000) @Max(120_000)
  SHUTDOWN_TIMEOUT_MS = 25_000;

  /** Matching jobs run at once per worker process. */
  @Transform(toInt) @IsInt() @Min(1) @Max(64)
  MATCHING_CONCURRENCY = 8;

  /** SMS go to this HTTP webhook (`POST {"to","text"}`, 2xx = accepted); unset: to the outbox file. */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'SMS_WEBHOOK_URL doit être une URL http(s)' })
  SMS_WEBHOOK_URL?: string = undefined;

  /** An SMS webhook that has not answered within this is given up for this attempt (retried after the backoff). */
  @Transform(toInt) @IsInt() @Min(500) @Max(60_000)
  SMS_TIMEOUT_MS = 10_000;

  /** Bearer token sent to the SMS webhook, if it wants one. */
  @IsOptional() @IsString()
  SMS_WEBHOOK_TOKEN?: string = undefined;

  /** E-mail goes through this SMTP server (`smtp://user:pass@host:587`, `smtps://…`); unset: to the outbox file. */
  @IsOptional() @Matches(/^smtps?:\/\//, { message: 'SMTP_URL doit commencer par smtp:// ou smtps://' })
  SMTP_URL?: string = undefined;

  @IsString()
  MAIL_FROM = 'CPTS - soins non programmés <no-reply@cpts.invalid>';

  /** Where messages go when no SMS webhook or SMTP server is configured (one JSON line each). */
  @IsString()
  OUTBOX_DIR = 'var/outbox';

  /** Sending attempts per message before it is `failed`. */
  @Transform(toInt) @IsInt() @Min(1) @Max(20)
  NOTIFY_ATTEMPTS = 6;

  /** First retry delay; each next one doubles (30 s, 1 min, 2 min, 4 min, 8 min by default). */
  @Transform(toInt) @IsInt() @Min(10)
  NOTIFY_BACKOFF_MS = 30_000;

  /** The patient's reminder goes this long before the slot (when the slot is further away than that). */
  @Transform(toInt) @IsInt() @Min(60)
  NOTIFY_REMINDER_LEAD_SECONDS = 2 * 3600;

  /** Messages sent at once per worker process: sending mostly waits on the provider (100 ms or more a message). */
  @Transform(toInt) @IsInt() @Min(1) @Max(128)
  NOTIFY_CONCURRENCY = 32;

  /** Sign-in attempts (password and second-factor codes) per minute and client address, shared by every API process (Redis). */
  @Transform(toInt) @IsInt() @Min(1)
  LOGIN_RATE_LIMIT = 20;

  /** Failed sign-ins of one account within ACCOUNT_LOCKOUT_MINUTES that lock it for as long (429 account_locked, even with the right password). */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  ACCOUNT_LOCKOUT_ATTEMPTS = 10;

  @Transform(toInt) @IsInt() @Min(1) @Max(1440)
  ACCOUNT_LOCKOUT_MINUTES = 15;

  /**
   * A second factor (TOTP) for every password account: they enrol at their next sign-in. Default
   * true when NODE_ENV=production, false otherwise (demo, tests). API keys are not concerned.
   */
  @Transform(toBool) @IsBoolean()
  MFA_REQUIRED = false;

  /** Slots one account (or API key) may hold at once; the next hold answers 429 too_many_holds. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  MAX_LIVE_HOLDS = 3;

  /** Messages (SMS and e-mail) sent per hour because of one account's actions; beyond, a message is `failed` with `budget_exceeded`. */
  @Transform(toInt) @IsInt() @Min(1)
  NOTIFY_BUDGET_PER_ACCOUNT_PER_HOUR = 200;

  /** Messages sent per hour by the whole deployment. */
  @Transform(toInt) @IsInt() @Min(1)
  NOTIFY_BUDGET_PER_HOUR = 5000;

  /** Audit events are kept this long, then deleted by the daily retention job. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3650)
  AUDIT_RETENTION_DAYS = 365;

  /** Patients' identity in bookings, requests and messages is anonymised this long after the consultation (or the request's deadline). */
  @Transform(toInt) @IsInt() @Min(1) @Max(3650)
  PATIENT_DATA_RETENTION_DAYS = 90;

  /** The web address users reach the service at (Pro Santé Connect sends them back there), e.g. https://snp.cpts-dunois.fr. */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'PUBLIC_URL doit être une URL http(s)' })
  PUBLIC_URL?: string = undefined;

  /**
   * Pro Santé Connect: the whole URL of its discovery document (PSC publishes it at
   * /.well-known/wallet-openid-configuration), https, or http on a loopback address for tests.
   */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'PSC_DISCOVERY_URL doit être une URL http(s)' })
  PSC_DISCOVERY_URL?: string = undefined;

  @IsOptional() @IsString()
  PSC_CLIENT_ID?: string = undefined;

  @IsOptional() @IsString()
  PSC_CLIENT_SECRET?: string = undefined;

  /**
   * The SAS platform's FHIR base URL (e.g. https://…/fhir): bookings made from the SAS, and each of
   * their changes, are reported there (POST/PUT Appointment). Unset: nothing is queued.
   */
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'SAS_FHIR_URL doit être une URL http(s)' })
  SAS_FHIR_URL?: string = undefined;

  /** Client certificate and key (PEM files) presented to the SAS (mTLS, IGC-Santé), and the CA to trust for it. */
  @IsOptional() @IsString()
  SAS_FHIR_CLIENT_CERT?: string = undefined;

  @IsOptional() @IsString()
  SAS_FHIR_CLIENT_KEY?: string = undefined;

  @IsOptional() @IsString()
  SAS_FHIR_CA?: string = undefined;

  /** A bearer token sent to the SAS, when its gateway asks for one besides mTLS. */
  @IsOptional() @IsString()
  SAS_FHIR_TOKEN?: string = undefined;

  /** The system of our appointments' identifiers at the SAS (an OID `urn:oid:…` once the ANS gives one). Default: `PUBLIC_URL`/fhir/sid/rdv. */
  @IsOptional() @IsString()
  SAS_APPOINTMENT_ID_SYSTEM?: string = undefined;

  /**
   * The national geocoder (Géoplateforme, successor of api-adresse.data.gouv.fr): a commune's centre
   * the first time it is needed, and the address of a practice created without coordinates. `off`:
   * never asked (offline sites import the communes' centres with `npm run communes:import`).
   */
  @IsString() @Matches(/^(off|https?:\/\/\S+)$/, { message: 'GEOCODER_URL doit être une URL http(s) ou off' })
  GEOCODER_URL = 'https://data.geopf.fr/geocodage';

  /** How long one call to the geocoder may take (a secretary is waiting). */
  @Transform(toInt) @IsInt() @Min(200) @Max(30_000)
  GEOCODER_TIMEOUT_MS = 2_500;

  /** How long one call to the SAS may take. */
  @Transform(toInt) @IsInt() @Min(500) @Max(120_000)
  SAS_FHIR_TIMEOUT_MS = 10_000;

  /** Sending attempts per change before it is `failed` (visible to admins, counted in /metrics). */
  @Transform(toInt) @IsInt() @Min(1) @Max(50)
  SAS_FEED_ATTEMPTS = 10;

  /** First retry delay; each next one doubles. */
  @Transform(toInt) @IsInt() @Min(10)
  SAS_FEED_BACKOFF_MS = 5_000;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const known = Object.keys(new AppConfig());
  const raw: Record<string, unknown> = {};
  for (const key of known) if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  // A second factor is the production default; the demo and tests opt in.
  if (raw.MFA_REQUIRED === undefined) raw.MFA_REQUIRED = String((overrides.NODE_ENV ?? raw.NODE_ENV) === 'production');
  const config = plainToInstance(AppConfig, { ...raw, ...overrides });
  const errors = validateSync(config, { whitelist: true });
  if (errors.length) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`);
    throw new Error(`Configuration invalide:\n  ${lines.join('\n  ')}`);
  }
  if (config.PSC_DISCOVERY_URL) {
    const missing = (['PSC_CLIENT_ID', 'PSC_CLIENT_SECRET', 'PUBLIC_URL'] as const).filter((k) => !config[k]);
    if (missing.length) throw new Error(`Configuration invalide: Pro Santé Connect (PSC_DISCOVERY_URL) demande aussi ${missing.join(', ')}`);
    const url = new URL(config.PSC_DISCOVERY_URL);
    if (url.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
      throw new Error('Configuration invalide: PSC_DISCOVERY_URL doit être en https (http seulement sur une adresse locale, pour les tests)');
    }
  }
  if (config.SAS_FHIR_URL) {
    // Our appointments' identifiers at the SAS must not change from one start to the next.
    if (!config.PUBLIC_URL && !config.SAS_APPOINTMENT_ID_SYSTEM) throw new Error('Configuration invalide: SAS_FHIR_URL demande aussi PUBLIC_URL (ou SAS_APPOINTMENT_ID_SYSTEM)');
    const url = new URL(config.SAS_FHIR_URL);
    if (url.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
      throw new Error('Configuration invalide: SAS_FHIR_URL doit être en https (http seulement sur une adresse locale, pour les tests)');
    }
  }
  return config;
}
