import { communityPhoneRegion } from '../directory/phone-region';
import { referral } from '../bookings/patient';
import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { sha256 } from '../auth/digest';
import { actorParams, auditListCte, auditRowsCte, AuditService } from '../auth/audit.service';
import { isCoordination, Principal } from '../auth/roles';
import { bookingScope, filingScope, requestScope, sharedParams } from '../auth/scope';
import { patientAgeMonths } from '../bookings/age';
import { BookingsService } from '../bookings/bookings.service';
import { presentPatient } from '../bookings/patient';
import { AppConfig } from '../config/app-config';
import { updateReturning } from '../database/returning';
import { CommunesService } from '../directory/communes.service';
import { ForbiddenError, NotFoundError, UnprocessableError, ValidationFailedError } from '../errors/domain-errors';
import { DEFAULT_MAX_DISTANCE_KM } from '../slots/ranking';
import { toE164 } from '../validation/phone';
import { CreateRequestDto, ListRequestsQuery } from './dto/requests.dto';
import { MatchingProducer } from './matching.producer';
import { priorityFlags, urgency } from './scoring';
import { violatesUnique } from '../database/unique-violation';

const WINDOW_HOURS = 24;

/** SNP requests: filed by a secretary or the regulation, booked by the matching engine. */
@Injectable()
export class RequestsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly communes: CommunesService,
    private readonly bookings: BookingsService,
    private readonly producer: MatchingProducer,
    private readonly audit: AuditService,
  ) {}

  /** Persists the request first, then queues its job; 202 even when Redis is down (the reconciler queues it). */
  async create(principal: Principal, dto: CreateRequestDto, idempotencyKey?: string) {
    const requestHash = idempotencyKey ? sha256(JSON.stringify(dto)) : null;
    if (idempotencyKey) {
      const replay = await this.replay(principal, idempotencyKey, requestHash!);
      if (replay) return replay;
    }
    const phone = toE164(dto.patient.phone, await communityPhoneRegion(this.dataSource, principal.communityId))!;
    const ageMonths = patientAgeMonths(dto.patient.birthDate);
    const place = await this.placeOf(dto);
    const now = DateTime.utc();
    const notBefore = dto.notBefore ? DateTime.fromISO(dto.notBefore, { setZone: true }).toUTC() : now;
    const notAfter = dto.notAfter ? DateTime.fromISO(dto.notAfter, { setZone: true }).toUTC() : DateTime.max(notBefore, now).plus({ hours: WINDOW_HOURS });
    if (notAfter <= notBefore) throw new ValidationFailedError('notAfter doit être après notBefore', [{ field: 'notAfter', messages: ['notAfter doit être après notBefore'] }]);
    if (notAfter <= now) throw new UnprocessableError('window_closed', 'La fenêtre demandée est déjà passée : choisissez un notAfter à venir');
    if (!isCoordination(principal) && notAfter > now.plus({ hours: WINDOW_HOURS, minutes: 1 })) {
      throw new UnprocessableError('window_too_long', 'Une demande SNP se traite dans les 24 heures : notAfter au plus 24 h après maintenant (la coordination peut aller au-delà)');
    }
    const escalateAt = DateTime.max(now, notAfter.minus({ minutes: this.config.MATCHING_ESCALATION_MARGIN_MINUTES }));
    const gp = referral(dto.patient);
    const flags = priorityFlags({ hasReferringGp: gp.hasReferringGp, chronicCondition: dto.chronicCondition, ageMonths });
    try {
      const [row] = await this.dataSource.query(
        `WITH r AS (INSERT INTO snp_request (patient_first_name, patient_last_name, patient_birth_date, patient_phone, patient_email, patient_commune_code,
           patient_has_referring_gp, chronic_condition, urgency, reason, location_commune_code, lat, lon, not_before, not_after, escalate_at,
           modalities, max_distance_km, created_by_user_id, created_by_api_key_id, created_by_role, created_by_practice_id, idempotency_key, request_hash,
           created_by_community_id, patient_referring_gp_rpps)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26) RETURNING *),
         ${auditRowsCte('au', 'r', 'request', 27)}
         SELECT * FROM r`,
        [
          dto.patient.firstName, dto.patient.lastName, dto.patient.birthDate, phone, dto.patient.email ?? null, dto.patient.communeCode ?? null,
          gp.hasReferringGp ?? null, dto.chronicCondition ?? false, urgency(flags), dto.reason ?? null, dto.location.communeCode ?? null,
          place.lat, place.lon, notBefore.toJSDate(), notAfter.toJSDate(), escalateAt.toJSDate(), dto.modalities ?? ['in_person'],
          dto.maxDistanceKm ?? DEFAULT_MAX_DISTANCE_KM, principal.kind === 'user' ? principal.id : null, principal.kind === 'api_key' ? principal.id : null,
          principal.role, principal.practiceId, idempotencyKey ?? null, requestHash, principal.communityId, gp.referringGpRpps ?? null,
          ...actorParams(principal), 'create',
        ],
      );
      // Not awaited: the request is in Postgres; a Redis that hangs must not hold the answer (the reconciler re-adds a lost job).
      void this.producer.requestFiled(row.id, row.escalate_at);
      return (await this.answer([row]))[0];
    } catch (e) {
      if (idempotencyKey && violatesUnique(e, /idempotency/)) {
        const replay = await this.replay(principal, idempotencyKey, requestHash!);
        if (replay) return replay;
      }
      throw e;
    }
  }

  /** A request in the caller's scope (404 otherwise), its reading audited in the same statement. */
  async get(principal: Principal, id: string) {
    const scope = requestScope(principal, 2);
    const rows = await this.dataSource.query(
      `WITH v AS (SELECT * FROM snp_request r WHERE r.id = $1 AND ${scope.sql}), ${auditRowsCte('au', 'v', 'request', 2 + scope.params.length)}
       SELECT * FROM v`,
      [id, ...scope.params, ...actorParams(principal), 'read'],
    );
    if (!rows.length) throw new NotFoundError('Demande SNP');
    return (await this.answer(rows))[0];
  }

  /** The requests in the caller's scope, newest first, their reading audited in the same statement. */
  async list(principal: Principal, q: ListRequestsQuery) {
    const scope = requestScope(principal, 2);
    const rows = await this.dataSource.query(
      `WITH v AS (SELECT * FROM snp_request r WHERE ($1::text IS NULL OR r.status = $1) AND ${scope.sql} ORDER BY r.created_at DESC LIMIT 500),
       ${auditListCte('au', 'v', 'request', 2 + scope.params.length)}
       SELECT * FROM v ORDER BY created_at DESC, id`,
      [q.status ?? null, ...scope.params, ...actorParams(principal)],
    );
    return this.answer(rows);
  }

  /**
   * Cancels a request in the caller's scope (404 otherwise); a matched one also cancels its booking
   * (the slot is free again). The filing side cancels its request's booking wherever it is;
   * anyone else (a coordination seeing the regulation's request of its territory) only when the
   * booking is within their own scope (403 otherwise: the regulation cancels it). Twice is harmless.
   */
  async cancel(principal: Principal, id: string) {
    const scope = requestScope(principal, 2);
    const filer = filingScope(principal, 2);
    const bookings = bookingScope(principal, 2);
    const params = [id, ...sharedParams(scope, filer, bookings)];
    const [cancelled] = await updateReturning(
      this.dataSource,
      `UPDATE snp_request r SET status = 'cancelled', status_changed_at = now()
        WHERE r.id = $1 AND r.status <> 'cancelled' AND ${scope.sql}
          AND (r.booking_id IS NULL OR ${filer.sql} OR EXISTS (
                SELECT 1 FROM booking b JOIN slot s ON s.id = b.slot_id JOIN practice p ON p.id = s.practice_id WHERE b.id = r.booking_id AND ${bookings.sql}))
        RETURNING *, ${filer.sql} AS by_filer`,
      params,
    );
    if (!cancelled) {
      const rows = await this.dataSource.query(
        `WITH v AS (SELECT * FROM snp_request r WHERE r.id = $1 AND ${scope.sql}), ${auditRowsCte('au', 'v', 'request', params.length + 1)} SELECT * FROM v`,
        [...params, ...actorParams(principal), 'read'],
      );
      if (!rows.length) throw new NotFoundError('Demande SNP');
      if (rows[0].status !== 'cancelled') {
        throw new ForbiddenError('Cette demande a obtenu un rendez-vous dans une autre CPTS : seule la régulation qui l’a déposée peut l’annuler');
      }
      return (await this.answer(rows))[0];
    }
    await this.audit.record(principal, 'cancel', 'request', id);
    if (cancelled.booking_id) await this.bookings.cancel(principal, cancelled.booking_id, 'demande SNP annulée', { scoped: !cancelled.by_filer });
    return (await this.answer([cancelled]))[0];
  }

  private async placeOf(dto: CreateRequestDto): Promise<{ lat: number; lon: number }> {
    const { communeCode, lat, lon } = dto.location;
    if (lat !== undefined && lon !== undefined) return { lat, lon };
    if (lat !== undefined || lon !== undefined) {
      throw new ValidationFailedError('Donnez lat et lon ensemble', [{ field: lat === undefined ? 'location.lat' : 'location.lon', messages: ['lat et lon vont ensemble'] }]);
    }
    if (communeCode) return this.communes.centreOf(communeCode);
    throw new ValidationFailedError('Indiquez où est le patient : location {communeCode} ou {lat, lon}', [{ field: 'location', messages: ['communeCode ou lat+lon requis'] }]);
  }

  private async replay(principal: Principal, key: string, requestHash: string) {
    const rows = await this.dataSource.query(
      `SELECT * FROM snp_request WHERE coalesce(created_by_user_id, created_by_api_key_id) = $1 AND idempotency_key = $2`,
      [principal.id, key],
    );
    if (!rows.length) return null;
    if (rows[0].request_hash !== requestHash) {
      throw new UnprocessableError('idempotency_key_reused', 'Cette clé Idempotency-Key a déjà servi pour une autre demande : utilisez une nouvelle clé');
    }
    await this.audit.record(principal, 'read', 'request', rows[0].id);
    return (await this.answer(rows))[0];
  }

  /** The requests as answered, with their bookings read in one query. */
  private async answer(rows: any[]) {
    const bookings = await this.bookings.views(rows.filter((r) => r.booking_id).map((r) => r.booking_id));
    return rows.map((r) => present(r, bookings.get(r.booking_id)));
  }
}

function present(r: any, booking: unknown) {
  return {
    id: r.id,
    status: r.status,
    deadline: r.not_after.toISOString(),
    notBefore: r.not_before.toISOString(),
    notAfter: r.not_after.toISOString(),
    escalateAt: r.escalate_at.toISOString(),
    location: { lat: r.lat, lon: r.lon, communeCode: r.location_commune_code ?? undefined },
    modalities: r.modalities,
    maxDistanceKm: r.max_distance_km,
    urgency: r.urgency,
    patient: presentPatient(r),
    chronicCondition: r.chronic_condition,
    reason: r.reason ?? undefined,
    attempts: r.attempts,
    createdAt: r.created_at.toISOString(),
    statusChangedAt: r.status_changed_at.toISOString(),
    matchedAt: r.matched_at?.toISOString(),
    booking,
  };
}

/**
 * Who the engine books for: the side that filed the request (the booking records it as its author,
 * and its messages are charged to it). The engine acts from no address.
 */
export function principalOfRequest(r: any): Principal {
  const side = { role: r.created_by_role, practiceId: r.created_by_practice_id, practitionerId: null, communityId: r.created_by_community_id ?? null };
  return r.created_by_user_id ? { kind: 'user', id: r.created_by_user_id, ...side } : { kind: 'api_key', id: r.created_by_api_key_id, ...side };
}
