import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { ageInMonths } from '../bookings/age';
import { BookingRequest, BookingsService, bookSql, FIRST_EXTRA_BOOKING_PARAM } from '../bookings/bookings.service';
import { preparedQuery } from '../database/prepared';
import { announceQueued } from '../notifications/notification-events';
import { queuedJson, requestUnmatchedRows } from '../notifications/notification-rows';
import { MatchingProducer } from './matching.producer';
import { principalOfRequest } from './requests.service';
import { candidatesFor } from './candidates';
import { MatchConstraints, rankCandidates } from './scoring';
import { SearchCriteria } from '../slots/slot-search';
import { viewerOf } from '../slots/audiences';
import { violatesUnique } from '../database/unique-violation';

/** How many nearby free slots a match attempt weighs (the search's best by time and distance). */
const CANDIDATES = 20;

/**
 * What the booking statement does besides booking, for a request: lock the request row while it is
 * still pending (the slot is taken only if it is), and mark it matched with the new booking.
 */
export const BOOK_FOR_REQUEST_SQL = bookSql({
  before: `req AS (SELECT id FROM snp_request WHERE id = $${FIRST_EXTRA_BOOKING_PARAM}::uuid AND status = 'pending' AND anonymised_at IS NULL FOR UPDATE)`,
  guard: `EXISTS (SELECT 1 FROM req)`,
  after: `matched AS (
    UPDATE snp_request r SET status = 'matched', booking_id = b.id, matched_at = now(), status_changed_at = now(), attempts = r.attempts + 1
      FROM b WHERE r.id = $${FIRST_EXTRA_BOOKING_PARAM}::uuid)`,
});

/** The engine's statements and the names they are prepared under (the benchmark's raw side runs the same). */
export const MATCH_READ = { name: 'match_read_v1', text: `SELECT *, escalate_at <= now() AS due FROM snp_request WHERE id = $1 AND status = 'pending'` };
export const MATCH_MISSED = { name: 'match_missed_v2', text: `UPDATE snp_request SET attempts = attempts + 1 WHERE id = $1 AND status = 'pending' RETURNING id` };
export const BOOK_FOR_REQUEST_STATEMENT = 'book_slot_for_request_v4';

/** Where and what the engine looks for, for a request `r` (a row of snp_request) at `now`: the search's criteria and the hard constraints. */
export function matchCriteria(r: any, now: Date): { criteria: SearchCriteria; constraints: MatchConstraints } {
  const patientAgeMonths = ageInMonths(r.patient_birth_date);
  return {
    criteria: {
      lat: r.lat, lon: r.lon, from: r.not_before > now ? r.not_before : now, to: r.not_after,
      maxDistanceKm: r.max_distance_km, limit: CANDIDATES, modalities: r.modalities, patientAgeMonths,
      // The filer's audiences: a regulator's request never gets a slot kept for the CPTS, nor a secretary's one kept for the regulation.
      viewer: viewerOf(principalOfRequest(r)),
    },
    constraints: { notBefore: r.not_before, notAfter: r.not_after, modalities: r.modalities, maxDistanceKm: r.max_distance_km, patientAgeMonths },
  };
}

/** The booking a request `r` (a row of snp_request) asks for on slot `slotId`. */
export function requestBooking(r: any, slotId: string): BookingRequest {
  return {
    slotId,
    patient: {
      firstName: r.patient_first_name, lastName: r.patient_last_name, birthDate: r.patient_birth_date, phone: r.patient_phone,
      email: r.patient_email ?? undefined, communeCode: r.patient_commune_code ?? undefined, hasReferringGp: r.patient_has_referring_gp ?? undefined,
      referringGpRpps: r.patient_referring_gp_rpps ?? undefined,
    },
    reason: r.reason,
  };
}

export type AttemptOutcome = 'matched' | 'no_slot' | 'not_pending' | 'escalated';

/**
 * The engine: books the best fitting slot for a pending request, with the booking API's own
 * statement, in one transaction with marking the request matched, so a job run twice (or by two
 * workers) books at most one slot. Jobs carry ids; everything is re-read here.
 */
@Injectable()
export class MatchingService {
  private readonly logger = new Logger(MatchingService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly bookings: BookingsService,
    private readonly producer: MatchingProducer,
    private readonly events: EventEmitter2,
  ) {}

  async attempt(requestId: string): Promise<AttemptOutcome> {
    // A read, not a write: a match costs one write transaction (the booking), not two.
    const [r] = await preparedQuery(this.dataSource, MATCH_READ.name, MATCH_READ.text, [requestId]);
    if (!r) return 'not_pending';
    if (r.due) return (await this.escalate(requestId)) ? 'escalated' : 'not_pending';
    // A request whose patient was erased (right to erasure) is booked for no more; it turns unmatched at its deadline.
    if (r.anonymised_at) return 'not_pending';

    const now = new Date();
    const { criteria, constraints } = matchCriteria(r, now);
    const candidates = await candidatesFor(this.dataSource, criteria);
    for (const c of rankCandidates(candidates, constraints, now)) {
      if (await this.bookFor(r, c.slotId, constraints.patientAgeMonths)) return 'matched';
    }
    // Counted once the engine has looked (a match counts its attempt in the booking statement). No
    // row: the request stopped being pending meanwhile (the booking statements' guard then took nothing).
    const missed = await preparedQuery(this.dataSource, MATCH_MISSED.name, MATCH_MISSED.text, [requestId]);
    return missed.length ? 'no_slot' : 'not_pending';
  }

  /**
   * One statement, hence one transaction: the request is still pending (its row locked), the slot
   * is taken with the booking API's own statement, the request is marked matched. `r` is the
   * request as read by attempt(); only its status can have changed since. False when nothing was
   * written: the slot was taken, or the request is no longer pending.
   */
  private async bookFor(r: any, slotId: string, ageMonths: number): Promise<boolean> {
    const requestId: string = r.id;
    try {
      const booking = await this.bookings.bookWith(
        BOOK_FOR_REQUEST_STATEMENT,
        BOOK_FOR_REQUEST_SQL,
        [requestId],
        principalOfRequest(r),
        requestBooking(r, slotId),
        'matching',
        // The phone was normalised to E.164 when the request was filed.
        { phone: r.patient_phone, ageMonths },
      );
      if (booking) this.logger.log({ request: requestId, booking: booking.id, slot: slotId }, 'request matched');
      return !!booking;
    } catch (e) {
      // Another booking won the slot between our read and our write: the next candidate, then.
      if (violatesUnique(e, 'booking_live_slot_uq')) return false;
      throw e;
    }
  }

  /** Turns a pending request unmatched once its escalation time has come; false if it was not due or not pending. */
  async escalate(requestId: string): Promise<boolean> {
    return (await this.escalateDue(requestId)) > 0;
  }

  /** Pending requests (one, or all) whose escalation time has come turn unmatched; how many did. */
  private async escalateDue(requestId: string | null): Promise<number> {
    // One statement: the request turns unmatched and its originator's message is written with it.
    const rows: Array<{ id: string; notifications: Array<{ id: string; sendAt: string }> }> = await this.dataSource.query(
      `WITH u AS (
         UPDATE snp_request SET status = 'unmatched', status_changed_at = now()
          WHERE ($1::uuid IS NULL OR id = $1) AND status = 'pending' AND escalate_at <= now() + interval '1 second'
         RETURNING id, created_by_user_id, created_by_api_key_id, created_by_practice_id
       ), ${requestUnmatchedRows}
       SELECT u.id, ${queuedJson('nt')} AS notifications FROM u`,
      [requestId],
    );
    for (const { id } of rows) this.logger.log({ request: id }, 'request unmatched');
    announceQueued(this.events, rows[0]?.notifications);
    return rows.length;
  }

  /**
   * New bookable slots: the pending requests they fit, most urgent then oldest first, each tried in
   * turn until the slots are gone.
   */
  async dispatch(slotIds: string[]): Promise<number> {
    const waiting: { id: string }[] = await this.dataSource.query(
      `SELECT r.id FROM snp_request r
        WHERE r.status = 'pending' AND EXISTS (
          SELECT 1 FROM slot s JOIN practice p ON p.id = s.practice_id JOIN practitioner pr ON pr.id = s.practitioner_id
           WHERE s.id = ANY($1::uuid[]) AND s.starts_at > now()
             AND (s.status = 'free' OR (s.status = 'held' AND s.hold_expires_at < now()))
             AND s.starts_at >= r.not_before AND s.starts_at < r.not_after AND s.modality = ANY(r.modalities)
             AND earth_distance(p.earth, ll_to_earth(r.lat, r.lon)) <= r.max_distance_km * 1000
             AND pr.min_patient_age_months <= (extract(year FROM age(current_date, r.patient_birth_date)) * 12 + extract(month FROM age(current_date, r.patient_birth_date))))
        ORDER BY r.urgency DESC, r.created_at
        LIMIT 1000`,
      [slotIds],
    );
    let matched = 0;
    for (const { id } of waiting) {
      if ((await this.attempt(id)) === 'matched') matched++;
      const [{ left }] = await this.dataSource.query(
        `SELECT count(*)::int AS left FROM slot WHERE id = ANY($1::uuid[]) AND starts_at > now() AND (status = 'free' OR (status = 'held' AND hold_expires_at < now()))`,
        [slotIds],
      );
      if (!left) break;
    }
    return matched;
  }

  /**
   * Safety net, every minute: escalates what is due, and re-queues every pending request whose job
   * is gone (Redis flushed or restarted, a job failed) along with its escalation.
   */
  async reconcile(): Promise<{ escalated: number; requeued: number }> {
    const escalated = await this.escalateDue(null);
    const pending: { id: string; escalate_at: Date }[] = await this.dataSource.query(
      `SELECT id, escalate_at FROM snp_request WHERE status = 'pending' ORDER BY urgency DESC, created_at LIMIT 10000`,
    );
    let requeued = 0;
    for (const r of pending) {
      if (await this.producer.ensureMatchJob(r.id)) requeued++;
      await this.producer.ensureEscalationJob(r.id, r.escalate_at);
    }
    if (escalated || requeued) this.logger.log({ escalated, requeued }, 'matching reconciled');
    return { escalated, requeued };
  }
}
