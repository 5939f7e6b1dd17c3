import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';

/** What the database announces on channel snp_auth (triggers of migration AccountsAndSessions). */
export type AccountChange = { kind: 'user' | 'token' | 'api_key'; id: string };

const CHANNEL = 'snp_auth';
const RETRY_MS = [250, 500, 1000, 2000, 5000];

/**
 * Listens to the database's announcements of account changes (password, role, deactivation,
 * sign-out, revoked API key), so that what each API process caches about sessions is dropped the
 * moment the change commits, whichever process made it. Postgres decides; Redis plays no part.
 * While the listening connection is down, `listening` is false and callers must not trust any
 * cache (they ask the database every time); on reconnection subscribers are told to forget all.
 * The connection opens with the first session checked, so a worker process (which serves no
 * request) holds none.
 */
@Injectable()
export class AccountChanges implements OnApplicationShutdown {
  private readonly logger = new Logger(AccountChanges.name);
  private client: Client | null = null;
  private stopped = false;
  private started = false;
  private attempt = 0;
  private readonly subscribers: Array<(change: AccountChange | 'all') => void> = [];
  listening = false;

  constructor(private readonly config: AppConfig) {}

  /** `fn` hears each change, and 'all' when announcements may have been missed. */
  subscribe(fn: (change: AccountChange | 'all') => void): void {
    this.subscribers.push(fn);
  }

  /** Starts listening (once): until the connection is up, `listening` stays false. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.listening = false;
    await this.client?.end().catch(() => undefined);
  }

  private tell(change: AccountChange | 'all'): void {
    for (const fn of this.subscribers) fn(change);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'cpts-snp-auth-listener', keepAlive: true });
    const lost = (e?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      this.listening = false;
      this.tell('all');
      if (this.stopped) return;
      const wait = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)];
      this.logger.warn({ err: e?.message, retryInMs: wait }, 'account-change listener lost: sessions checked against the database on every request until it is back');
      setTimeout(() => void this.connect(), wait).unref();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (n) => {
      const [kind, id] = (n.payload ?? '').split(':');
      if ((kind === 'user' || kind === 'token' || kind === 'api_key') && id) this.tell({ kind, id });
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (this.client !== client) return;
      this.attempt = 0;
      // Whatever was cached before this connection may have missed announcements.
      this.tell('all');
      this.listening = true;
    } catch (e) {
      lost(e as Error);
      await client.end().catch(() => undefined);
    }
  }
}
