/**
 * Notification throughput: messages sent per second by one worker process (claim the row, render
 * the French text, POST it to the SMS provider, record `sent`) against a raw loop POSTing the same
 * body to the same local sink with the same client (undici's request) and the same concurrency, in the same
 * round. The sink is a real HTTP server in this process that answers 202 with an id.
 */
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { Agent, request } from 'undici';
import { elapsedMs } from './stats';

/** An SMS text of the usual length (two GSM-7 segments), for the raw loop. */
const SAMPLE_TEXT =
  'Bonjour, RDV confirmé le lundi 30/03 à 10h30 avec le Dr Hélène LEFEVRE, Maison de santé des Tilleuls, 12 rue de la République, 28000 Chartres. Empechement : prévenez le 02 37 00 00 00.';

class SmsSink {
  accepted = 0;
  private server!: Server;

  static async start(): Promise<SmsSink> {
    const sink = new SmsSink();
    sink.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        sink.accepted++;
        res.writeHead(202, { 'content-type': 'application/json' }).end(`{"id":"sink-${sink.accepted}"}`);
      });
    });
    sink.server.keepAliveTimeout = 30_000;
    await new Promise<void>((r) => sink.server.listen(0, '127.0.0.1', r));
    return sink;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/sms`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/**
 * `n` POSTs of an SMS body to the sink, `concurrency` at a time, with the client the SMS channel
 * uses (undici's request on a keep-alive pool, same options): messages per second.
 */
async function rawLoop(url: string, n: number, concurrency: number): Promise<number> {
  const pool = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
  let next = 0;
  const t = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const res = await request(url, {
          method: 'POST',
          dispatcher: pool,
          headers: { 'content-type': 'application/json', 'idempotency-key': `raw-${i}` },
          body: JSON.stringify({ to: '+33612345678', text: SAMPLE_TEXT }),
          headersTimeout: 10_000,
          bodyTimeout: 10_000,
        });
        await res.body.text();
        if (res.statusCode !== 202) throw new Error(`sink answered ${res.statusCode}`);
      }
    }),
  );
  const perSecond = n / (elapsedMs(t) / 1000);
  await pool.close();
  return perSecond;
}

/**
 * The floor of the job in bare code: for each of `ids`, the claim UPDATE and the `sent` UPDATE
 * as plain prepared statements around the same POST, `concurrency` at a time, no queue, no
 * framework. Shows what the service adds beyond the two commits and the POST a message needs.
 */
async function sqlAndHttpLoop(pool: Pool, url: string, ids: string[], concurrency: number): Promise<number> {
  const http = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
  let next = 0;
  const t = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const claimed = await pool.query({
          name: 'bench_claim',
          text: `UPDATE notification SET attempts = attempts + 1, claimed_until = now() + interval '2 minutes' WHERE id = $1 AND status = 'queued' RETURNING recipient`,
          values: [id],
        });
        const res = await request(url, {
          method: 'POST',
          dispatcher: http,
          headers: { 'content-type': 'application/json', 'idempotency-key': id },
          body: JSON.stringify({ to: claimed.rows[0].recipient, text: SAMPLE_TEXT }),
        });
        const body = await res.body.text();
        await pool.query({
          name: 'bench_sent',
          text: `UPDATE notification SET status = 'sent', claimed_until = NULL, provider_id = $2, sent_at = now(), status_changed_at = now() WHERE id = $1`,
          values: [id, JSON.parse(body).id],
        });
      }
    }),
  );
  const perSecond = ids.length / (elapsedMs(t) / 1000);
  await http.close();
  return perSecond;
}

/**
 * `n` confirmed bookings of free slots (SQL, as the booking statement leaves them) with their
 * patient's confirmation SMS queued: the ids of those notification rows.
 */
async function queuedMessages(pool: Pool, n: number): Promise<string[]> {
  const { rows } = await pool.query(
    `WITH s AS (
       SELECT id FROM slot WHERE status = 'free' AND starts_at > now() + interval '3 hours' ORDER BY starts_at DESC LIMIT $1 FOR UPDATE SKIP LOCKED
     ), taken AS (
       UPDATE slot SET status = 'booked' FROM s WHERE slot.id = s.id RETURNING slot.id
     ), b AS (
       INSERT INTO booking (slot_id, patient_first_name, patient_last_name, patient_birth_date, patient_phone, channel, booked_by_role)
       SELECT id, 'Léa', 'Martin', date '1990-05-17', '+336' || lpad((row_number() OVER ())::text, 8, '0'), 'secretary', 'secretary' FROM taken
       RETURNING id, patient_phone
     )
     INSERT INTO notification (template, audience, channel, recipient, booking_id)
     SELECT 'booking_confirmed_patient', 'patient', 'sms', patient_phone, id FROM b RETURNING id`,
    [n],
  );
  if (rows.length < n) throw new Error(`only ${rows.length} free slots left for ${n} messages`);
  return rows.map((r) => r.id);
}

/**
 * Polls until no row is `queued` any more (or nothing moved for 10 s). The phase cancels every
 * queued row before it starts, so what is queued is this round's; counting them reads the small
 * partial index of queued rows, not the round's ids (which would load the database it measures).
 */
async function allSent(pool: Pool, ids: string[]): Promise<{ sent: number }> {
  let last = -1;
  let movedAt = Date.now();
  for (;;) {
    const { rows } = await pool.query(`SELECT count(*)::int AS queued FROM notification WHERE status = 'queued'`);
    const left = rows[0].queued;
    if (left === 0 || Date.now() - movedAt > 10_000) break;
    if (left !== last) [last, movedAt] = [left, Date.now()];
    await new Promise((r) => setTimeout(r, 20));
  }
  const { rows } = await pool.query(`SELECT count(*)::int AS sent FROM notification WHERE id = ANY($1::uuid[]) AND status = 'sent'`, [ids]);
  return rows[0];
}

export interface NotificationRound {
  rawPerSecond: number;
  /** Bare code: two prepared UPDATEs and the POST per message (see sqlAndHttpLoop). */
  sqlAndHttpPerSecond: number;
  perSecond: number;
  sent: number;
  notSent: number;
}

export interface NotificationBenchContext {
  pool: Pool;
  /** A pool as large as the worker's, for the bare-code loop. */
  sqlPool: Pool;
  queue: Queue;
  /** Starts one worker process sending SMS to `smsUrl`; resolves to its stop function. */
  startWorker: (smsUrl: string) => Promise<() => Promise<void>>;
  concurrency: number;
}

/** Messages queued by an earlier phase, dropped: their jobs and their rows (no worker will send them). */
export async function discardQueuedMessages(pool: Pool, queue: Queue): Promise<void> {
  await queue.obliterate({ force: true });
  await pool.query(`UPDATE notification SET status = 'cancelled' WHERE status = 'queued'`);
}

export async function benchNotifications(ctx: NotificationBenchContext, o: { messages: number; rounds: number }): Promise<NotificationRound[]> {
  const sink = await SmsSink.start();
  // What earlier phases queued (their bookings' messages) is not this phase's to send.
  await discardQueuedMessages(ctx.pool, ctx.queue);
  await ctx.queue.pause();
  const stop = await ctx.startWorker(sink.url);
  const rounds: NotificationRound[] = [];
  try {
    await rawLoop(sink.url, 200, ctx.concurrency); // warm-up of the sink and the client
    for (let r = 0; r < o.rounds; r++) {
      const rawPerSecond = await rawLoop(sink.url, o.messages, ctx.concurrency);
      const sqlAndHttpPerSecond = await sqlAndHttpLoop(ctx.sqlPool, sink.url, await queuedMessages(ctx.pool, o.messages), ctx.concurrency);
      const ids = await queuedMessages(ctx.pool, o.messages);
      await ctx.queue.addBulk(ids.map((id) => ({ name: 'send', data: { notificationId: id }, opts: { jobId: id, attempts: 6, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true } })));
      const t = process.hrtime.bigint();
      await ctx.queue.resume();
      const { sent } = await allSent(ctx.pool, ids);
      const seconds = elapsedMs(t) / 1000;
      await ctx.queue.pause();
      rounds.push({ rawPerSecond, sqlAndHttpPerSecond, perSecond: sent / seconds, sent, notSent: o.messages - sent });
    }
  } finally {
    await ctx.queue.resume();
    await stop();
    await sink.close();
  }
  return rounds;
}
