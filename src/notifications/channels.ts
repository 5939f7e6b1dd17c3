import { Logger } from '@nestjs/common';
import { appendFile, mkdir } from 'fs/promises';
import { dirname, join, resolve } from 'path';
import { createTransport, Transporter } from 'nodemailer';
import { Agent, Dispatcher, request } from 'undici';
import { AppConfig } from '../config/app-config';

export type ChannelKind = 'sms' | 'email';

export interface OutgoingMessage {
  /** The notification row's id: sent as an idempotency key where the provider takes one. */
  id: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * A way to deliver messages. Adding a provider (an SMS gateway's own API, say) is one class
 * implementing this, chosen in `channelsFor`. `send` resolves once the provider accepted the
 * message and throws when it did not (the message is retried); the error's text is stored on the
 * row, so it must not carry the recipient or the message.
 */
export interface NotificationChannel {
  readonly kind: ChannelKind;
  /** Recorded on the row as `provider`. */
  readonly provider: string;
  /** False for the local outbox file: what it takes reaches nobody (the row says `outbox`, not `sent`). */
  readonly delivers: boolean;
  send(message: OutgoingMessage): Promise<{ providerId: string | null }>;
  close?(): Promise<void>;
}

/**
 * SMS through a generic HTTP webhook: `POST {"to": "+33…", "text": "…"}`, 2xx = accepted. The
 * notification id goes as `Idempotency-Key`, so a provider that honours it never sends twice even
 * if we could not record its answer. undici's own request API on a keep-alive pool: Node's fetch
 * is built on it, with web streams and abort signals that cost more CPU per message than the rest
 * of the sending.
 */
export class SmsWebhookChannel implements NotificationChannel {
  readonly kind = 'sms' as const;
  readonly provider = 'sms-webhook';
  readonly delivers = true;
  private readonly pool: Agent;

  /** `timeoutMs` bounds each phase (connecting, the answer's headers, its body): a hung provider costs one attempt, not the worker. */
  constructor(
    private readonly url: string,
    private readonly token?: string,
    private readonly timeoutMs = 10_000,
  ) {
    this.pool = new Agent({ connections: 64, keepAliveTimeout: 30_000, connect: { timeout: timeoutMs } });
  }

  async send(m: OutgoingMessage): Promise<{ providerId: string | null }> {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(this.url, {
        method: 'POST',
        dispatcher: this.pool,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': m.id,
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: JSON.stringify({ to: m.to, text: m.text }),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
    } catch (e) {
      throw new Error(`la passerelle SMS ne répond pas (${(e as any).code ?? 'erreur réseau'})`);
    }
    const body = await res.body.text().catch(() => '');
    if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`la passerelle SMS a répondu ${res.statusCode}`);
    const header = res.headers['x-message-id'];
    return { providerId: providerIdOf(body) ?? (typeof header === 'string' ? header : null) };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** The provider's message id when its answer is JSON with one (`id`, `messageId` or `message_id`). */
function providerIdOf(body: string): string | null {
  try {
    const j = JSON.parse(body);
    const id = j?.id ?? j?.messageId ?? j?.message_id;
    return id === undefined || id === null ? null : String(id).slice(0, 200);
  } catch {
    return null;
  }
}

/** E-mail over SMTP (nodemailer, pooled connections). */
export class SmtpChannel implements NotificationChannel {
  readonly kind = 'email' as const;
  readonly provider = 'smtp';
  readonly delivers = true;
  private readonly transport: Transporter;

  constructor(url: string, private readonly from: string) {
    // Time-outs well under a run's claim on its row (2 min), so a stuck server cannot outlive it.
    this.transport = createTransport(url, { pool: true, maxConnections: 4, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as any);
  }

  async send(m: OutgoingMessage): Promise<{ providerId: string | null }> {
    try {
      const info = await this.transport.sendMail({ from: this.from, to: m.to, subject: m.subject, text: m.text, headers: { 'X-SNP-Notification': m.id } });
      return { providerId: info.messageId ?? null };
    } catch (e) {
      // nodemailer's errors may quote the recipient: keep the SMTP code only.
      const code = (e as any).responseCode ?? (e as any).code ?? 'erreur';
      throw new Error(`le serveur SMTP a refusé le message (${code})`);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/**
 * No provider configured (demo, development): messages are appended, one JSON line each, to
 * `<OUTBOX_DIR>/outbox.jsonl`, readable by whoever runs the service; the logs say only that a
 * message went there.
 */
export class OutboxChannel implements NotificationChannel {
  readonly provider = 'outbox';
  readonly delivers = false;
  private readonly file: string;

  constructor(readonly kind: ChannelKind, dir: string) {
    this.file = join(resolve(dir), 'outbox.jsonl');
  }

  async send(m: OutgoingMessage): Promise<{ providerId: string | null }> {
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, JSON.stringify({ id: m.id, channel: this.kind, to: m.to, subject: m.subject, text: m.text, at: new Date().toISOString() }) + '\n');
    return { providerId: `outbox:${m.id}` };
  }
}

/** The channels this configuration gives: SMS webhook and SMTP when set, the outbox otherwise. */
export function channelsFor(config: AppConfig, logger: Logger): Record<ChannelKind, NotificationChannel> {
  const sms = config.SMS_WEBHOOK_URL ? new SmsWebhookChannel(config.SMS_WEBHOOK_URL, config.SMS_WEBHOOK_TOKEN, config.SMS_TIMEOUT_MS) : new OutboxChannel('sms', config.OUTBOX_DIR);
  const email = config.SMTP_URL ? new SmtpChannel(config.SMTP_URL, config.MAIL_FROM) : new OutboxChannel('email', config.OUTBOX_DIR);
  logger.log({ sms: sms.provider, email: email.provider }, 'notification channels');
  return { sms, email };
}

/**
 * The providers this configuration lacks, in the words of the variable to set: none in a
 * deployment that reaches patients; the demo and tests write to the outbox file instead.
 */
export function missingProviders(config: AppConfig): string[] {
  return [
    ...(config.SMS_WEBHOOK_URL ? [] : ['SMS_WEBHOOK_URL (SMS aux patients : écrits dans le fichier outbox, personne ne les reçoit)']),
    ...(config.SMTP_URL ? [] : ['SMTP_URL (e-mails aux cabinets : écrits dans le fichier outbox, personne ne les reçoit)']),
  ];
}
