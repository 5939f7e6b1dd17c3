import { communityPhoneRegion } from '../directory/phone-region';
import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { actorParams, auditListCte, auditRowsCte, AuditService } from '../auth/audit.service';
import { bookingScope, receivingScope, Scope } from '../auth/scope';
import { sha256 } from '../auth/digest';
import { preparedQuery } from '../database/prepared';
import { updateReturning } from '../database/returning';
import { Principal } from '../auth/roles';
import { ConflictError, ForbiddenError, NotFoundError, SlotUnavailableError, UnprocessableError } from '../errors/domain-errors';
import { AppConfig } from '../config/app-config';
import { viewerOf, viewerParams, visibleSlotSql } from '../slots/audiences';
import { announceSasFeed, APPOINTMENT_STATUS, SAS_FEED_CHANGE_SQL } from '../sas/feed-events';
import { DEFAULT_MAX_DISTANCE_KM, DEFAULT_WINDOW_HOURS } from '../slots/ranking';
import { SlotsService } from '../slots/slots.service';
import { toE164 } from '../validation/phone';
import { ageInMonths, patientAgeMonths } from './age';
import { announceQueued } from '../notifications/notification-events';
import { BOOKING_CANCELLED_SQL, bookingConfirmedRows, queuedJson } from '../notifications/notification-rows';
import { BookingChannel } from './booking.entity';
import { presentPatient, referral } from './patient';
import { CreateBookingDto, ListBookingsQuery } from './dto/bookings.dto';
import { violatesUnique } from '../database/unique-violation';

const ZONE = 'Europe/Paris';

/** Marks the answer to a repeated booking (the first booking again): answered 200, not 201. */
export const REPEATED = Symbol('repeated booking');

/** Columns of a booking with its slot, practitioner and practice, for answers and access checks. */
const BOOKING_VIEW_SQL = `
  SELECT b.*, s.starts_at, s.ends_at, s.modality, s.practitioner_id, s.practice_id AS receiving_practice_id,
         pr.first_name AS pr_first_name, pr.last_name AS pr_last_name, pr.profession,
         p.name AS practice_name, p.address AS practice_address, p.phone AS practice_phone
    FROM booking b JOIN slot s ON s.id = b.slot_id
    JOIN practitioner pr ON pr.id = s.practitioner_id JOIN practice p ON p.id = s.practice_id`;

/**
 * What present() reads of a booking just made: BOOKING_VIEW_SQL's columns but those a new booking
 * has not yet (cancel_reason, anonymised_at: null) and those nobody reads back (the booker's ids,
 * the idempotency key and hash, the copies of the slot's CPTS, practitioner and start). Each
 * column answered is described and parsed for every booking, by the API and the matching engine.
 */
const NEW_BOOKING_COLUMNS = `b.id, b.status, b.channel, b.origin, b.slot_id, b.patient_first_name, b.patient_last_name,
  b.patient_birth_date, b.patient_phone, b.patient_email, b.patient_commune_code, b.patient_has_referring_gp,
  b.patient_referring_gp_rpps, b.reason, b.booked_by_role, b.booked_by_practice_id, b.created_at, b.status_changed_at`;

/**
 * One statement books: take the slot, insert the booking, its first status event, the audit line
 * and the notification rows (patient, practice), and answer the booking view (NEW_BOOKING_COLUMNS,
 * then the slot's, practitioner's and practice's as BOOKING_VIEW_SQL) with the `notifications` to queue. Nothing is written unless
 * the slot was taken. A caller may add to the same statement (hence the same transaction): `before`
 * CTEs, a `guard` the slot UPDATE also requires, and `after` CTEs that see the booking as `b`.
 */
export interface BookingStatementParts {
  before: string;
  guard: string;
  after: string;
}

/**
 * The patient's other live bookings starting within 24 h of the new one that the booker may see
 * (`scope`: bookingScope, its parameters from FIRST_EXTRA_BOOKING_PARAM): the
 * `patient_already_booked` warnings, as CTE `already`. The new booking is not among them: a
 * statement does not see its own rows.
 */
const alreadyBookedCtes = (scope: Scope) => `nb AS (SELECT patient_phone, patient_birth_date, slot_starts_at FROM b),
  already AS (
    SELECT b.id, b.slot_starts_at FROM nb, booking b JOIN slot s ON s.id = b.slot_id JOIN practice p ON p.id = s.practice_id
     WHERE b.patient_phone = nb.patient_phone AND b.patient_birth_date = nb.patient_birth_date AND b.status = 'confirmed'
       AND b.slot_starts_at > nb.slot_starts_at - interval '24 hours' AND b.slot_starts_at < nb.slot_starts_at + interval '24 hours' AND ${scope.sql}
     ORDER BY b.slot_starts_at LIMIT 5)`;

/**
 * The booking statement, with a caller's parts (see BookingStatementParts) when given, or with the
 * patient's other bookings for the booker's `warnings` scope (column `warnings`: their ids).
 */
export function bookSql(parts?: BookingStatementParts, warnings?: Scope): string {
  return `
  WITH ${parts ? `${parts.before},` : ''} taken AS (
    UPDATE slot s SET status = 'booked', hold_token = NULL, hold_expires_at = NULL, updated_at = now()
     WHERE s.id = $1 AND s.starts_at > now()
       AND (s.status = 'free' OR (s.status = 'held' AND (s.hold_expires_at < now() OR s.hold_token = $2::uuid)))
       AND EXISTS (SELECT 1 FROM practitioner pr WHERE pr.id = s.practitioner_id AND pr.min_patient_age_months <= $3::int)
       AND ${visibleSlotSql('s', '(SELECT vp.community_id FROM practice vp WHERE vp.id = s.practice_id)', '$20', '$16', '$21')}
       ${parts ? `AND ${parts.guard}` : ''}
    RETURNING s.id, s.starts_at, s.ends_at, s.modality, s.practitioner_id, s.practice_id
  ), b AS (
    INSERT INTO booking (slot_id, patient_first_name, patient_last_name, patient_birth_date, patient_phone, patient_email,
       patient_commune_code, patient_has_referring_gp, reason, channel, booked_by_user_id, booked_by_api_key_id, booked_by_role,
       booked_by_practice_id, idempotency_key, request_hash, origin, patient_referring_gp_rpps,
       community_id, practitioner_id, slot_starts_at)
    SELECT taken.id, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $22, $24,
           (SELECT cp.community_id FROM practice cp WHERE cp.id = taken.practice_id), taken.practitioner_id, taken.starts_at FROM taken
    RETURNING *
  ), ev AS (
    INSERT INTO booking_event (booking_id, status, actor_user_id, actor_role) SELECT b.id, 'confirmed', $13, $15 FROM b
  ), au AS (
    INSERT INTO audit_event (actor_user_id, actor_api_key_id, actor_role, ip, action, entity, entity_id)
    SELECT $13, $14, $15, $19, 'create', 'booking', b.id FROM b
  ), sas AS (
    INSERT INTO sas_appointment_feed (booking_id, appointment_status) SELECT b.id, 'booked' FROM b WHERE b.origin = 'sas' AND $23::boolean
    RETURNING id
  ), ${bookingConfirmedRows}${parts ? `, ${parts.after}` : ''}${warnings ? `, ${alreadyBookedCtes(warnings)}` : ''}
  SELECT ${NEW_BOOKING_COLUMNS}, ${queuedJson('nt')} AS notifications,${warnings ? ` (SELECT coalesce(json_agg(a.id ORDER BY a.slot_starts_at), '[]') FROM already a) AS warnings,` : ''} (SELECT json_agg(sas.id) FROM sas) AS sas_feed, taken.starts_at, taken.ends_at, taken.modality, taken.practitioner_id, taken.practice_id AS receiving_practice_id,
         pr.first_name AS pr_first_name, pr.last_name AS pr_last_name, pr.profession,
         p.name AS practice_name, p.address AS practice_address, p.phone AS practice_phone
    FROM b JOIN taken ON taken.id = b.slot_id
    JOIN practitioner pr ON pr.id = taken.practitioner_id JOIN practice p ON p.id = taken.practice_id`;
}

/** Parameters $1…$24 are the booking's; a caller's parts (or the warnings' scope) number theirs from here. */
export const FIRST_EXTRA_BOOKING_PARAM = 25;

/** The booking statement for each warnings' scope (one per role), by the scope's SQL, with the name it is prepared under. */
const BOOK_STATEMENTS = new Map<string, { name: string; text: string }>();

/**
 * The statement book() runs and its parameters: the booking's (bookParams), then the booker's
 * scope for the warnings. The benchmark's raw side runs the very same.
 */
export function bookStatement(principal: Principal, params: unknown[]): { name: string; text: string; values: unknown[] } {
  const scope = bookingScope(principal, FIRST_EXTRA_BOOKING_PARAM);
  let statement = BOOK_STATEMENTS.get(scope.sql);
  if (!statement) {
    const text = bookSql(undefined, scope);
    BOOK_STATEMENTS.set(scope.sql, (statement = { name: `book_slot_v5_${sha256(text).slice(0, 12)}`, text }));
  }
  return { ...statement, values: [...params, ...scope.params] };
}

/** Where a slot is and what kind it is: the centre and filter of its alternatives. */
interface SlotPlace {
  lat: number;
  lon: number;
  modality: string;
}
const SLOT_PLACE_COLUMNS = `p.lat, p.lon, s.modality`;
const SLOT_PLACE_FROM = `FROM slot s JOIN practice p ON p.id = s.practice_id JOIN practitioner pr ON pr.id = s.practitioner_id`;

export interface BookingRequest {
  slotId: string;
  holdToken?: string | null;
  patient: CreateBookingDto['patient'];
  reason?: string | null;
  /** `sas`: a regulator who came from the SAS platform's link (the booking is then reported to the SAS). */
  origin?: 'sas' | null;
}

/**
 * The statement's parameters: the booking's ($1–$19), the booker's audience and CPTS ($20, $21:
 * only a slot they may see is taken; their practice is $16), its origin ($22), whether the SAS
 * appointment feed is on ($23), and the RPPS of the patient's médecin traitant ($24).
 */
export function bookParams(principal: Principal, req: BookingRequest, phone: string, ageMonths: number, channel: BookingChannel, idempotencyKey: string | null, requestHash: string | null, sasFeed: boolean): unknown[] {
  const viewer = viewerOf(principal);
  const gp = referral(req.patient);
  return [
    req.slotId, req.holdToken ?? null, ageMonths,
    req.patient.firstName, req.patient.lastName, req.patient.birthDate, phone, req.patient.email ?? null,
    req.patient.communeCode ?? null, gp.hasReferringGp ?? null, req.reason ?? null, channel,
    principal.kind === 'user' ? principal.id : null, principal.kind === 'api_key' ? principal.id : null, principal.role, principal.practiceId,
    idempotencyKey, requestHash, principal.ip ?? null,
    viewer.audience, viewer.communityId, req.origin ?? null, sasFeed, gp.referringGpRpps ?? null,
  ];
}

/**
 * The statements book() runs besides the booking statement, as text and parameters (the
 * benchmark's raw side runs the very same): why a slot could not be taken (diagnose), the same
 * booking made moments ago (repeatOf).
 */
export function diagnoseQuery(principal: Principal, slotId: string): [string, unknown[]] {
  return [
    `SELECT ${SLOT_PLACE_COLUMNS}, s.starts_at <= now() AS past, pr.min_patient_age_months ${SLOT_PLACE_FROM}
        WHERE s.id = $1 AND ${visibleSlotSql('s', 'p.community_id', '$2', '$3', '$4')}`,
    [slotId, ...viewerParams(viewerOf(principal))],
  ];
}

export function repeatQuery(principal: Principal, req: BookingRequest, phone: string): [string, unknown[]] {
  return [
    `SELECT id FROM booking
        WHERE slot_id = $1 AND status <> 'cancelled' AND coalesce(booked_by_user_id, booked_by_api_key_id) = $2
          AND lower(patient_last_name) = lower($3) AND lower(patient_first_name) = lower($4) AND patient_birth_date = $5::date AND patient_phone = $6
          AND created_at > now() - interval '10 minutes'`,
    [req.slotId, principal.id, req.patient.lastName.trim(), req.patient.firstName.trim(), req.patient.birthDate, phone],
  ];
}

function channelOf(p: Principal): BookingChannel {
  if (p.role === 'regulator') return 'regulation';
  if (p.role === 'secretary') return 'secretary';
  return 'coordination';
}

@Injectable()
export class BookingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly slots: SlotsService,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
    private readonly config: AppConfig,
  ) {}

  /** Whether bookings from the SAS are reported to it (SAS_FHIR_URL set). */
  private get sasFeed(): boolean {
    return !!this.config.SAS_FHIR_URL;
  }

  /** After commit: the notification and SAS feed rows the statement wrote get their jobs. */
  private queued(row: { notifications?: Array<{ id: string; sendAt: string }>; sas_feed?: string[] | null }) {
    announceQueued(this.events, row.notifications);
    announceSasFeed(this.events, row.sas_feed);
  }

  /**
   * Books a slot in one SQL statement, hence one round trip and one implicit transaction: a
   * conditional UPDATE takes the slot (free, expired hold, or held with this token; not started;
   * the practitioner sees patients of this age), and only if it did are the booking, its first
   * status event and the audit line inserted. Race-free: of concurrent statements on one slot, the
   * row lock lets one through and the others re-check the condition and take nothing; the partial
   * unique index booking_live_slot_uq backs it. The patient's other live bookings within 24 h (the
   * `patient_already_booked` warnings) are read by the same statement. When nothing was taken, diagnose() says why
   * (404, 422, or 409 slot_unavailable with the next best slots around the same practice).
   */
  async book(principal: Principal, req: BookingRequest, idempotencyKey?: string, channel: BookingChannel = channelOf(principal)) {
    if (req.origin === 'sas' && principal.role !== 'regulator') {
      throw new ForbiddenError('origin « sas » : seule la régulation vient du SAS pour réserver');
    }
    const phone = toE164(req.patient.phone, await communityPhoneRegion(this.dataSource, principal.communityId))!;
    const ageMonths = patientAgeMonths(req.patient.birthDate);
    const requestHash = idempotencyKey ? sha256(JSON.stringify([req.slotId, req.holdToken ?? null, req.patient, req.reason ?? null, req.origin ?? null])) : null;

    if (idempotencyKey) {
      const replay = await this.replay(principal, idempotencyKey, requestHash!);
      if (replay) return replay;
    }
    let place: SlotPlace | undefined;
    try {
      const statement = bookStatement(principal, bookParams(principal, req, phone, ageMonths, channel, idempotencyKey ?? null, requestHash, this.sasFeed));
      const rows = await preparedQuery(this.dataSource, statement.name, statement.text, statement.values);
      if (rows.length) {
        this.queued(rows[0]);
        const warnings = (rows[0].warnings as string[]).map((id) => ({ code: 'patient_already_booked' as const, bookingId: id }));
        return { ...present(rows[0]), ...(warnings.length ? { warnings } : {}) };
      }
      // The same booking sent again without a key (its answer was lost): the first one, not a 409.
      if (!idempotencyKey) {
        const repeat = await this.repeatOf(principal, req, phone);
        if (repeat) return repeat;
      }
      place = await this.diagnose(principal, req.slotId, ageMonths);
      throw new SlotUnavailableError();
    } catch (e) {
      const concurrentSameKey = violatesUnique(e, /idempotency/);
      if (idempotencyKey && (e instanceof SlotUnavailableError || concurrentSameKey)) {
        const replay = await this.replay(principal, idempotencyKey, requestHash!);
        if (replay) return replay;
      }
      if (e instanceof SlotUnavailableError || violatesUnique(e, 'booking_live_slot_uq')) {
        throw new SlotUnavailableError('Ce créneau n’est plus disponible : voici les suivants', await this.alternatives(principal, req, place));
      }
      throw e;
    }
  }

  /**
   * A booking statement composed with a caller's parts (`sql`, from bookSql) and their parameters,
   * prepared under `name`: one round trip, one transaction. The matching engine books and marks its
   * request matched this way, giving the patient's phone as E.164 and their age in months as it
   * worked them out (a request's phone was normalised when it was filed: not parsed again for every
   * candidate). Null when the slot could not be taken (or the guard refused); no alternatives.
   */
  async bookWith(name: string, sql: string, extraParams: unknown[], principal: Principal, req: BookingRequest, channel: BookingChannel, known: { phone: string; ageMonths: number }) {
    const params = [...bookParams(principal, req, known.phone, known.ageMonths, channel, null, null, this.sasFeed), ...extraParams];
    const rows = await preparedQuery(this.dataSource, name, sql, params);
    if (!rows.length) return null;
    this.queued(rows[0]);
    return present(rows[0]);
  }

  /**
   * Why a slot could not be taken, for rules that do not race: 404 or 422. When it is simply taken,
   * answers where it is, for the alternatives.
   */
  private async diagnose(principal: Principal, slotId: string, ageMonths: number): Promise<SlotPlace> {
    // A slot kept for another audience does not exist for this caller (404), like in the search.
    const rows = await this.dataSource.query(...diagnoseQuery(principal, slotId));
    if (!rows.length) throw new NotFoundError('Créneau');
    if (rows[0].past) throw new UnprocessableError('slot_in_past', 'Ce créneau a déjà commencé : choisissez-en un autre');
    if (ageMonths < rows[0].min_patient_age_months) {
      throw new UnprocessableError('patient_too_young', `Ce praticien reçoit les patients à partir de ${formatAge(rows[0].min_patient_age_months)} : choisissez un autre créneau`);
    }
    return rows[0];
  }

  /** The first answer for the same key and body; 422 when the key was used for another body. */
  private async replay(principal: Principal, key: string, requestHash: string) {
    const rows = await this.dataSource.query(
      `SELECT id, request_hash FROM booking WHERE coalesce(booked_by_user_id, booked_by_api_key_id) = $1 AND idempotency_key = $2`,
      [principal.id, key],
    );
    if (!rows.length) return null;
    if (rows[0].request_hash !== requestHash) {
      throw new UnprocessableError('idempotency_key_reused', 'Cette clé Idempotency-Key a déjà servi pour une autre réservation : utilisez une nouvelle clé');
    }
    // The first answer again, with its patient: a read like any other.
    await this.audit.record(principal, 'read', 'booking', rows[0].id);
    return this.view(rows[0].id);
  }

  /**
   * A booking this account made in the last 10 minutes of this slot for this patient (names, birth
   * date, phone): what a retry without Idempotency-Key whose first answer was lost asks for. Its
   * view, marked REPEATED (answered 200), and its reading audited; null otherwise.
   */
  private async repeatOf(principal: Principal, req: BookingRequest, phone: string) {
    const [row] = await this.dataSource.query(...repeatQuery(principal, req, phone));
    if (!row) return null;
    await this.audit.record(principal, 'read', 'booking', row.id);
    return Object.assign(await this.view(row.id), { [REPEATED]: true });
  }

  /** The next best slots around the practice of the slot that could not be booked. */
  private async alternatives(principal: Principal, req: BookingRequest, known?: SlotPlace) {
    const place: SlotPlace = known ?? (await this.dataSource.query(`SELECT ${SLOT_PLACE_COLUMNS} ${SLOT_PLACE_FROM} WHERE s.id = $1`, [req.slotId]))[0];
    const now = new Date();
    const ageMonths = ageInMonths(req.patient.birthDate);
    return this.slots.searchAround({
      lat: place.lat,
      lon: place.lon,
      from: now,
      to: DateTime.fromJSDate(now).plus({ hours: DEFAULT_WINDOW_HOURS }).toJSDate(),
      maxDistanceKm: DEFAULT_MAX_DISTANCE_KM,
      limit: 5,
      modality: place.modality,
      patientAgeMonths: ageMonths,
      excludeSlotId: req.slotId,
      viewer: viewerOf(principal),
    });
  }

  /** A booking in the caller's scope (404 otherwise, whether it exists or not), its reading audited in the same statement. */
  async get(principal: Principal, id: string) {
    const scope = bookingScope(principal, 2);
    const rows = await this.dataSource.query(
      `WITH v AS (${BOOKING_VIEW_SQL} WHERE b.id = $1 AND ${scope.sql}), ${auditRowsCte('au', 'v', 'booking', 2 + scope.params.length)}
       SELECT * FROM v`,
      [id, ...scope.params, ...actorParams(principal), 'read'],
    );
    if (!rows.length) throw new NotFoundError('Rendez-vous');
    return present(rows[0]);
  }

  /** The bookings in the caller's scope whose slot starts in the window, their reading audited in the same statement. */
  async list(principal: Principal, q: ListBookingsQuery) {
    const from = q.from ? new Date(q.from) : DateTime.now().setZone(ZONE).startOf('day').toJSDate();
    const to = q.to ? new Date(q.to) : DateTime.fromJSDate(from).plus({ days: 2 }).toJSDate();
    const scope = bookingScope(principal, 3);
    const rows = await this.dataSource.query(
      `WITH v AS (${BOOKING_VIEW_SQL} WHERE s.starts_at >= $1 AND s.starts_at < $2 AND ${scope.sql} ORDER BY s.starts_at LIMIT 1000),
       ${auditListCte('au', 'v', 'booking', 3 + scope.params.length)}
       SELECT * FROM v ORDER BY starts_at, id`,
      [from, to, ...scope.params, ...actorParams(principal)],
    );
    return rows.map(present);
  }

  /**
   * Cancels a booking in the caller's scope (404 otherwise); a slot still ahead is free again at
   * once. Cancelling twice is harmless. `scoped: false` for a cancellation already authorised
   * (a request's filer cancelling the request its booking came from).
   */
  async cancel(principal: Principal, id: string, reason?: string, { scoped = true } = {}) {
    const scopeFrom = (first: number) => (scoped ? bookingScope(principal, first) : { sql: 'TRUE', params: [] });
    const scope = scopeFrom(3);
    const freedSlotIds: string[] = [];
    let sasFeed: Array<{ id: string }> = [];
    let told: { notifications: Array<{ id: string; sendAt: string }> } | undefined;
    await this.dataSource.transaction(async (em) => {
      const done = await updateReturning(
        em,
        `UPDATE booking b SET status = 'cancelled', cancel_reason = $2, cancelled_at = now(), status_changed_at = now()
           FROM slot s JOIN practice p ON p.id = s.practice_id
          WHERE b.id = $1 AND s.id = b.slot_id AND b.status = 'confirmed' AND ${scope.sql} RETURNING b.slot_id`,
        [id, reason ?? null, ...scope.params],
      );
      if (!done.length) {
        const [row] = await em.query(
          `SELECT b.status FROM booking b JOIN slot s ON s.id = b.slot_id JOIN practice p ON p.id = s.practice_id WHERE b.id = $1 AND ${scopeFrom(2).sql}`,
          [id, ...scope.params],
        );
        if (!row) throw new NotFoundError('Rendez-vous');
        if (row.status === 'cancelled') return;
        throw new ConflictError('booking_closed', 'Ce rendez-vous a déjà eu lieu (honoré ou non honoré) : il ne peut plus être annulé');
      }
      // The slot is no longer booked, started or not (a started slot is never bookable: the figures
      // then count it unused); one still ahead is offered again.
      const freed = await updateReturning(
        em,
        `UPDATE slot SET status = 'free', updated_at = now() WHERE id = $1 AND status = 'booked' RETURNING id, starts_at > now() AS ahead`,
        [done[0].slot_id],
      );
      freedSlotIds.push(...freed.filter((r) => r.ahead).map((r) => r.id));
      await this.recordStatus(em, id, 'cancelled', principal);
      await this.audit.record(principal, 'cancel', 'booking', id, em);
      [told] = await em.query(BOOKING_CANCELLED_SQL, [id, principal.id]);
      sasFeed = await em.query(SAS_FEED_CHANGE_SQL, [id, APPOINTMENT_STATUS.cancelled, this.sasFeed]);
    });
    this.slots.announce(freedSlotIds);
    if (told) this.queued(told);
    announceSasFeed(this.events, sasFeed.map((r) => r.id));
    return { id, status: 'cancelled' };
  }

  /** The receiving side (the slot's GP or its practice's secretaries) records whether the patient came, once the slot has started. */
  async recordOutcome(principal: Principal, id: string, outcome: 'attended' | 'no_show') {
    const scope = receivingScope(principal, 3);
    let sasFeed: Array<{ id: string }> = [];
    await this.dataSource.transaction(async (em) => {
      const done = await updateReturning(
        em,
        `UPDATE booking b SET status = $2, outcome_at = now(), status_changed_at = now() FROM slot s
          WHERE b.id = $1 AND s.id = b.slot_id AND b.status <> 'cancelled' AND s.starts_at <= now() AND ${scope.sql} RETURNING b.id`,
        [id, outcome, ...scope.params],
      );
      if (!done.length) {
        const [row] = await em.query(
          `SELECT b.status, s.starts_at > now() AS ahead FROM booking b JOIN slot s ON s.id = b.slot_id WHERE b.id = $1 AND ${receivingScope(principal, 2).sql}`,
          [id, ...scope.params],
        );
        if (!row) throw new NotFoundError('Rendez-vous');
        if (row.status === 'cancelled') throw new ConflictError('booking_cancelled', 'Ce rendez-vous a été annulé');
        throw new UnprocessableError('outcome_too_early', 'Le rendez-vous n’a pas encore commencé');
      }
      await this.recordStatus(em, id, outcome, principal);
      await this.audit.record(principal, 'outcome', 'booking', id, em);
      sasFeed = await em.query(SAS_FEED_CHANGE_SQL, [id, APPOINTMENT_STATUS[outcome], this.sasFeed]);
    });
    announceSasFeed(this.events, sasFeed.map((r) => r.id));
    return { id, status: outcome };
  }

  async view(id: string) {
    return present(await this.row(id));
  }

  /** Several bookings in one query, by id (for lists of what they are attached to). */
  async views(ids: string[]): Promise<Map<string, ReturnType<typeof present>>> {
    if (!ids.length) return new Map();
    const rows = await this.dataSource.query(`${BOOKING_VIEW_SQL} WHERE b.id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r: any) => [r.id, present(r)]));
  }

  private async row(id: string) {
    const rows = await this.dataSource.query(`${BOOKING_VIEW_SQL} WHERE b.id = $1`, [id]);
    if (!rows.length) throw new NotFoundError('Rendez-vous');
    return rows[0];
  }

  private recordStatus(em: EntityManager, bookingId: string, status: string, principal: Principal) {
    return em.query(`INSERT INTO booking_event (booking_id, status, actor_user_id, actor_role) VALUES ($1, $2, $3, $4)`, [
      bookingId, status, principal.kind === 'user' ? principal.id : null, principal.role,
    ]);
  }
}

const formatAge = (months: number) => (months % 12 === 0 ? `${months / 12} ans` : `${months} mois`);

function present(b: any) {
  return {
    id: b.id,
    status: b.status,
    channel: b.channel,
    origin: b.origin ?? undefined,
    slot: { id: b.slot_id, start: b.starts_at.toISOString(), end: b.ends_at.toISOString(), modality: b.modality },
    practitioner: { id: b.practitioner_id, firstName: b.pr_first_name, lastName: b.pr_last_name, profession: b.profession },
    practice: { id: b.receiving_practice_id, name: b.practice_name, address: b.practice_address, phone: b.practice_phone },
    patient: presentPatient(b),
    reason: b.reason ?? undefined,
    bookedBy: { role: b.booked_by_role, practiceId: b.booked_by_practice_id ?? undefined },
    createdAt: b.created_at.toISOString(),
    statusChangedAt: b.status_changed_at.toISOString(),
    cancelReason: b.cancel_reason ?? undefined,
  };
}
