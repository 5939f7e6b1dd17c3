import { Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { ageInMonths } from '../bookings/age';
import { BookingsService } from '../bookings/bookings.service';
import { updateReturning } from '../database/returning';
import { SlotsService } from '../slots/slots.service';
import { MatchingProducer } from './matching.producer';
import { principalOfRequest } from './requests.service';
import { Candidate, rankCandidates } from './scoring';

/** How many nearby free slots a match attempt weighs (the search's best by time and distance). */
const CANDIDATES = 20;

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
    private readonly slots: SlotsService,
    private readonly bookings: BookingsService,
    private readonly producer: MatchingProducer,
  ) {}

  async attempt(requestId: string): Promise<AttemptOutcome> {
    const [r] = await updateReturning(
      this.dataSource,
      `UPDATE snp_request SET attempts = attempts + 1 WHERE id = $1 AND status = 'pending' RETURNING *, escalate_at <= now() AS due`,
      [requestId],
    );
    if (!r) return 'not_pending';
    if (r.due) return (await this.escalate(requestId)) ? 'escalated' : 'not_pending';

    const now = new Date();
    const patientAgeMonths = ageInMonths(r.patient_birth_date);
    const found = await this.slots.searchAround({
      lat: r.lat, lon: r.lon, from: r.not_before > now ? r.not_before : now, to: r.not_after,
      maxDistanceKm: r.max_distance_km, limit: CANDIDATES, modalities: r.modalities, patientAgeMonths,
    });
    if (!found.length) return 'no_slot';
    const load = await this.bookedThatDay(found.map((f) => f.practitioner.id), found.map((f) => new Date(f.slot.start)));
    const candidates: Candidate[] = found.map((f) => ({
      slotId: f.slot.id,
      practitionerId: f.practitioner.id,
      start: new Date(f.slot.start),
      modality: f.slot.modality,
      distanceKm: f.distanceKm,
      minPatientAgeMonths: f.practitioner.minPatientAgeMonths,
      bookedThatDay: load.get(`${f.practitioner.id}|${parisDay(new Date(f.slot.start))}`) ?? 0,
    }));
    const constraints = { notBefore: r.not_before, notAfter: r.not_after, modalities: r.modalities, maxDistanceKm: r.max_distance_km, patientAgeMonths };
    for (const c of rankCandidates(candidates, constraints, now)) {
      const outcome = await this.bookFor(r, c.slotId);
      if (outcome !== 'taken') return outcome;
    }
    return 'no_slot';
  }

  /**
   * One transaction: the request is still pending (locked), the slot is taken, the request is
   * matched. `r` is the request as read by attempt(); only its status can have changed since.
   */
  private async bookFor(r: any, slotId: string): Promise<'matched' | 'not_pending' | 'taken'> {
    const requestId: string = r.id;
    try {
      return await this.dataSource.transaction(async (em) => {
        const locked = await em.query(`SELECT 1 FROM snp_request WHERE id = $1 AND status = 'pending' FOR UPDATE`, [requestId]);
        if (!locked.length) return 'not_pending';
        const booking = await this.bookings.bookWithin(
          em,
          principalOfRequest(r),
          {
            slotId,
            patient: {
              firstName: r.patient_first_name, lastName: r.patient_last_name, birthDate: r.patient_birth_date, phone: r.patient_phone,
              email: r.patient_email ?? undefined, communeCode: r.patient_commune_code ?? undefined, hasReferringGp: r.patient_has_referring_gp ?? undefined,
            },
            reason: r.reason,
          },
          'matching',
        );
        if (!booking) return 'taken';
        await em.query(
          `UPDATE snp_request SET status = 'matched', booking_id = $2, matched_at = now(), status_changed_at = now() WHERE id = $1`,
          [requestId, booking.id],
        );
        this.logger.log({ request: requestId, booking: booking.id, slot: slotId }, 'request matched');
        return 'matched';
      });
    } catch (e) {
      // Another booking won the slot between our read and our write: the next candidate, then.
      if ((e as any).code === '23505' && (e as any).constraint === 'booking_live_slot_uq') return 'taken';
      throw e;
    }
  }

  /** Turns a pending request unmatched once its escalation time has come; false if it was not due or not pending. */
  async escalate(requestId: string): Promise<boolean> {
    return (await this.escalateDue(requestId)) > 0;
  }

  /** Pending requests (one, or all) whose escalation time has come turn unmatched; how many did. */
  private async escalateDue(requestId: string | null): Promise<number> {
    const rows = await updateReturning(
      this.dataSource,
      `UPDATE snp_request SET status = 'unmatched', status_changed_at = now()
        WHERE ($1::uuid IS NULL OR id = $1) AND status = 'pending' AND escalate_at <= now() + interval '1 second' RETURNING id`,
      [requestId],
    );
    for (const { id } of rows) this.logger.log({ request: id }, 'request unmatched');
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
             AND earth_distance(ll_to_earth(p.lat, p.lon), ll_to_earth(r.lat, r.lon)) <= r.max_distance_km * 1000
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

  /** Booked slots per practitioner and Paris day, for the days of the candidates (fair spread). */
  private async bookedThatDay(practitionerIds: string[], starts: Date[]): Promise<Map<string, number>> {
    const from = new Date(Math.min(...starts.map(Number)) - 86_400_000);
    const to = new Date(Math.max(...starts.map(Number)) + 86_400_000);
    const rows = await this.dataSource.query(
      `SELECT practitioner_id, to_char(starts_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS day, count(*)::int AS n
         FROM slot WHERE practitioner_id = ANY($1::uuid[]) AND status = 'booked'
          AND tstzrange(starts_at, ends_at, '[)') && tstzrange($2, $3, '[)')
        GROUP BY 1, 2`,
      [[...new Set(practitionerIds)], from, to],
    );
    return new Map(rows.map((r: any) => [`${r.practitioner_id}|${r.day}`, r.n]));
  }
}

function parisDay(d: Date): string {
  return DateTime.fromJSDate(d, { zone: 'Europe/Paris' }).toISODate()!;
}
