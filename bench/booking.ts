/**
 * Booking load: concurrent clients each book the next untried free slot, a share of them aiming at
 * a slot another client has just tried (real races, lost with 409). Two ways to send the same
 * bookings: through HTTP (`POST /api/v1/bookings`, the whole service), and **raw**: the statements
 * BookingsService runs for a booking, with the same parameters, straight on a `pg` pool of the
 * API's size. What separates the two is the framework (HTTP, authentication, validation, the
 * round trips' wrappers, serialisation, the enqueue of the messages), not the SQL.
 */
import { Pool } from 'pg';
import { HttpClient } from './http-client';
import { elapsedMs, prng } from './stats';
import { bookParams, BookingRequest, bookStatement, diagnoseQuery, repeatQuery } from '../src/bookings/bookings.service';
import { patientAgeMonths } from '../src/bookings/age';
import { Principal } from '../src/auth/roles';
import { SEARCH_SQL, SEARCH_STATEMENT, searchParams } from '../src/slots/slot-search';
import { viewerOf } from '../src/slots/audiences';
import { DEFAULT_MAX_DISTANCE_KM, DEFAULT_WINDOW_HOURS } from '../src/slots/ranking';

export interface BookingRound {
  seconds: number;
  statuses: Record<string, number>;
  latencies: number[];
}

/** Sends booking `n` of slot `slotId` as client `client`; answers the HTTP status (or what the service would have answered). */
export type BookingSender = (client: number, slotId: string, n: number) => Promise<number>;

const PATIENT = { firstName: 'Camille', birthDate: '1980-05-17' };
const REASON = 'fièvre depuis 2 jours';

/**
 * Booking `n`'s patient: a patient of their own (their own mobile number), as at a real CPTS. With
 * one phone for every booking, the duplicate check (the patient's other bookings within 24 h)
 * would read all the run's bookings each time.
 */
export function benchPatient(n: number) {
  const d = String(n % 1_000_000).padStart(6, '0');
  return { ...PATIENT, lastName: `Bench${n}`, phone: `06 12 ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)}`, e164: `+33612${d}` };
}

export class BookingLoad {
  private next = 0;
  private n = 0;
  /** Every booking made since the start (201), warm-up included, whichever way: what the database must hold. */
  created = 0;
  private readonly recent: string[] = [];
  private readonly rnd = prng(11);

  private constructor(
    private readonly ids: string[],
    private readonly contested: number,
  ) {}

  /** The free slots more than an hour ahead, in a fixed random order. */
  static async prepare(pool: Pool, contested: number): Promise<BookingLoad> {
    const ids: string[] = (
      await pool.query(`SELECT id FROM slot WHERE status = 'free' AND starts_at > now() + interval '1 hour' ORDER BY md5(id::text) LIMIT 250000`)
    ).rows.map((r) => r.id);
    return new BookingLoad(ids, contested);
  }

  /** `clients` clients book through `send` for `seconds`. */
  async round(seconds: number, clients: number, send: BookingSender): Promise<BookingRound> {
    const statuses: Record<string, number> = {};
    const latencies: number[] = [];
    const stopAt = Date.now() + seconds * 1000;
    const start = process.hrtime.bigint();
    const client = async (_: unknown, i: number) => {
      while (Date.now() < stopAt && this.next < this.ids.length) {
        const contested = this.recent.length > 0 && this.rnd() < this.contested;
        const slotId = contested ? this.recent[Math.floor(this.rnd() * this.recent.length)] : this.ids[this.next++];
        if (!contested) {
          this.recent.push(slotId);
          if (this.recent.length > 256) this.recent.shift();
        }
        const t = process.hrtime.bigint();
        const status = await send(i, slotId, ++this.n);
        latencies.push(elapsedMs(t));
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 201) this.created++;
      }
    };
    await Promise.all(Array.from({ length: clients }, client));
    return { seconds: elapsedMs(start) / 1000, statuses, latencies };
  }
}

/** The booking statement BookingsService.book() runs for `req` booked by a secretary, with its parameters. */
function bookingStatement(principal: Principal, req: BookingRequest, phone: string, ageMonths: number) {
  return bookStatement(principal, bookParams(principal, req, phone, ageMonths, 'secretary', null, null, false));
}

/**
 * Per booking, what BookingsService.book() sends to PostgreSQL, on `pool`: the booking statement
 * (prepared under the service's name; it also reads the patient's other bookings around the new
 * one); on failure the same booking made moments ago, why the slot could not be taken, and its
 * alternatives (the search statement). 201 with the statement's row, or 409 with the alternatives.
 */
export async function rawBook(pool: Pool, principal: Principal, req: BookingRequest, phone: string, ageMonths: number): Promise<{ status: 201 | 409; body: unknown }> {
  const { rows } = await pool.query(bookingStatement(principal, req, phone, ageMonths));
  if (rows.length) return { status: 201, body: rows[0] };
  await pool.query(...repeatQuery(principal, req, phone));
  const [place] = (await pool.query(...diagnoseQuery(principal, req.slotId))).rows;
  const from = new Date();
  const alternatives = await pool.query({
    name: SEARCH_STATEMENT,
    text: SEARCH_SQL,
    values: searchParams({
      lat: place.lat, lon: place.lon, from, to: new Date(from.getTime() + DEFAULT_WINDOW_HOURS * 3600_000), maxDistanceKm: DEFAULT_MAX_DISTANCE_KM,
      limit: 5, modality: place.modality, patientAgeMonths: ageMonths, excludeSlotId: req.slotId, viewer: viewerOf(principal),
    }),
  });
  return { status: 409, body: { statusCode: 409, error: 'slot_unavailable', alternatives: alternatives.rows } };
}

/** Sends each booking's body through HTTP with the headers `headersOf` gives its client. */
function postSender(http: HttpClient, headersOf: (client: number) => Record<string, string>): BookingSender {
  return async (client, slotId, n) => {
    const { e164: _, ...patient } = benchPatient(n);
    const r = await http.request('POST', '/api/v1/bookings', headersOf(client), { slotId, patient, reason: REASON });
    return r.status;
  };
}

/** Through HTTP: one secretary per client (64 people booking at once, not one account). */
export function httpSender(http: HttpClient, tokens: string[]): BookingSender {
  return postSender(http, (client) => ({ authorization: `Bearer ${tokens[client % tokens.length]}` }));
}

/**
 * Through HTTP to the bare server (bench/bare-api.ts): the same bodies, the client's number in
 * place of a token (it books as that client's secretary, as the API would).
 */
export function bareSender(http: HttpClient): BookingSender {
  return postSender(http, (client) => ({ 'x-client': String(client) }));
}

/**
 * The same bookings raw (rawBook), with the same parameters. The phone (E.164) and the age are
 * given as the statements see them, not worked out.
 */
export class RawBooking {
  private constructor(
    private readonly pool: Pool,
    private readonly principals: Principal[],
  ) {}

  /** A pool of `size` connections, each connected and with the booking statement prepared before the round. */
  static async open(databaseUrl: string, size: number, principals: Principal[]): Promise<RawBooking> {
    const raw = new RawBooking(new Pool({ connectionString: databaseUrl, max: size }), principals);
    const nobody = '00000000-0000-0000-0000-000000000000';
    const clients = await Promise.all(Array.from({ length: size }, () => raw.pool.connect()));
    const { req, phone } = raw.request(nobody, 0);
    await Promise.all(clients.map((c) => c.query(bookingStatement(principals[0], req, phone, raw.ageMonths))));
    clients.forEach((c) => c.release());
    return raw;
  }

  private readonly ageMonths = patientAgeMonths(PATIENT.birthDate);

  private request(slotId: string, n: number): { req: BookingRequest; phone: string } {
    const { e164, ...patient } = benchPatient(n);
    return { req: { slotId, patient, reason: REASON }, phone: e164 };
  }

  readonly send: BookingSender = async (client, slotId, n) => {
    const { req, phone } = this.request(slotId, n);
    return (await rawBook(this.pool, this.principals[client % this.principals.length], req, phone, this.ageMonths)).status;
  };

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** The secretaries as the API sees them once signed in (the principal its guard builds). */
export async function secretaryPrincipals(pool: Pool, emails: string[]): Promise<Principal[]> {
  const { rows } = await pool.query(
    `SELECT u.id, u.email, u.practice_id, p.community_id FROM app_user u JOIN practice p ON p.id = u.practice_id WHERE u.email = ANY($1::text[])`,
    [emails],
  );
  const byEmail = new Map(rows.map((r) => [r.email, r]));
  return emails.map((email) => {
    const r = byEmail.get(email);
    if (!r) throw new Error(`no account ${email}`);
    return { kind: 'user', id: r.id, role: 'secretary', practiceId: r.practice_id, practitionerId: null, communityId: r.community_id, ip: '127.0.0.1' };
  });
}
