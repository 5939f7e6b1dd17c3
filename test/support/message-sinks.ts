import { createServer, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedSms {
  to: string;
  text: string;
  idempotencyKey?: string;
  authorization?: string;
}

/**
 * A real HTTP server standing for the SMS provider: it accepts `POST {"to","text"}` with 202 and an
 * id, and can be told to refuse (503) the next n messages to a number, or all of them.
 */
export class SmsSink {
  readonly accepted: ReceivedSms[] = [];
  readonly refused: ReceivedSms[] = [];
  /** Every request that reached the sink, whatever its fate, with when it arrived. */
  readonly arrivals: Array<ReceivedSms & { at: number; fate: 'accepted' | 'refused' | 'hung' | 'reset' }> = [];
  private readonly failures = new Map<string, number>();
  private readonly misbehaviours = new Map<string, Array<'hang' | 'reset'>>();
  private readonly hanging = new Set<ServerResponse>();
  private server!: Server;

  static async start(): Promise<SmsSink> {
    const sink = new SmsSink();
    sink.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const { to, text } = JSON.parse(body);
        const sms: ReceivedSms = { to, text, idempotencyKey: req.headers['idempotency-key'] as string, authorization: req.headers.authorization };
        const arrival = (fate: 'accepted' | 'refused' | 'hung' | 'reset') => sink.arrivals.push({ ...sms, at: Date.now(), fate });
        const misbehaviour = sink.misbehaviours.get(to)?.shift();
        if (misbehaviour === 'hang') {
          // Never answered (until the sink closes): the sender's time-out must give up.
          arrival('hung');
          sink.hanging.add(res);
          return;
        }
        if (misbehaviour === 'reset') {
          arrival('reset');
          req.socket.destroy();
          return;
        }
        const left = sink.failures.get(to) ?? 0;
        if (left > 0) {
          arrival('refused');
          sink.failures.set(to, left - 1);
          sink.refused.push(sms);
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
          return;
        }
        arrival('accepted');
        sink.accepted.push(sms);
        res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sink-${sink.accepted.length}` }));
      });
    });
    await new Promise<void>((r) => sink.server.listen(0, '127.0.0.1', r));
    return sink;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/sms`;
  }

  /** Refuse the next `n` messages to `to` (E.164); Infinity: all of them. */
  failNext(to: string, n: number): void {
    this.failures.set(to, n);
  }

  /** The next messages to `to` meet these fates in turn: `hang` (no answer ever) or `reset` (connection cut, no answer). */
  misbehave(to: string, fates: Array<'hang' | 'reset'>): void {
    this.misbehaviours.set(to, [...fates]);
  }

  to(phone: string): ReceivedSms[] {
    return this.accepted.filter((m) => m.to === phone);
  }

  close(): Promise<void> {
    for (const res of this.hanging) res.socket?.destroy();
    this.server.closeAllConnections?.();
    return new Promise((r) => this.server.close(() => r()));
  }
}

export interface ReceivedMail {
  to: string[];
  /** Headers and body, quoted-printable decoded. */
  text: string;
}

/** A real SMTP server (the `smtp-server` package) that keeps every message it is given. */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  private server!: SMTPServer;
  private port = 0;

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink();
    sink.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          sink.mails.push({ to: session.envelope.rcptTo.map((r) => r.address), text: decodeQuotedPrintable(Buffer.concat(chunks).toString('latin1')) });
          callback();
        });
      },
    });
    await new Promise<void>((r) => sink.server.listen(0, '127.0.0.1', () => r()));
    sink.port = (sink.server.server.address() as AddressInfo).port;
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.includes(address));
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** Soft line breaks out, `=XX` bytes back, read as UTF-8 (enough to read what nodemailer wrote). */
function decodeQuotedPrintable(raw: string): string {
  const bytes = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
