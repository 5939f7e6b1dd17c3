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

  @IsOptional() @IsEmail()
  ADMIN_EMAIL?: string;

  @IsOptional() @IsString() @MinLength(10, { message: 'ADMIN_PASSWORD doit faire au moins 10 caractères' })
  ADMIN_PASSWORD?: string;

  @Transform(toBool) @IsBoolean()
  MIGRATIONS_RUN = true;

  /** Run queue workers and cron in this process (API replicas may set false and run `npm run start:worker`). */
  @Transform(toBool) @IsBoolean()
  WORKERS_ENABLED = true;

  @IsString() @MinLength(16, { message: 'JWT_SECRET doit faire au moins 16 caractères' })
  JWT_SECRET = 'change-me-in-production-please';

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

  /** Matching jobs run at once per worker process. */
  @Transform(toInt) @IsInt() @Min(1) @Max(64)
  MATCHING_CONCURRENCY = 8;

  /** SMS go to this HTTP webhook (`POST {"to","text"}`, 2xx = accepted); unset: to the outbox file. */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'SMS_WEBHOOK_URL doit être une URL http(s)' })
  SMS_WEBHOOK_URL?: string = undefined;

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

  /** Requests per minute per client on sign-in. */
  @Transform(toInt) @IsInt() @Min(1)
  LOGIN_RATE_LIMIT = 20;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const known = Object.keys(new AppConfig());
  const raw: Record<string, unknown> = {};
  for (const key of known) if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  const config = plainToInstance(AppConfig, { ...raw, ...overrides });
  const errors = validateSync(config, { whitelist: true });
  if (errors.length) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`);
    throw new Error(`Configuration invalide:\n  ${lines.join('\n  ')}`);
  }
  if (config.NODE_ENV === 'production' && config.JWT_SECRET === new AppConfig().JWT_SECRET) {
    throw new Error('Configuration invalide: JWT_SECRET doit être défini en production');
  }
  return config;
}
