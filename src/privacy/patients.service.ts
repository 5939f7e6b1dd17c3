import { communityPhoneRegion } from '../directory/phone-region';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { actorParams } from '../auth/audit.service';
import { Principal } from '../auth/roles';
import { bookingScope, requestScope, sharedParams } from '../auth/scope';
import { BookingsService } from '../bookings/bookings.service';
import { presentPatient } from '../bookings/patient';
import { AppConfig } from '../config/app-config';
import { toE164 } from '../validation/phone';
import { ANONYMISE_SQL } from './anonymisation';

/** Rows anonymised per statement by the retention job: short transactions, whatever the backlog. */
const RETENTION_BATCH = 2000;

export interface Erased {
  bookings: number;
  requests: number;
  notifications: number;
}

/**
 * Patients' rights (RGPD art. 15 and 17) for the coordination, within its own CPTS: everything
 * held on a patient (found by phone and birth date), and its anonymisation; and the retention job
 * that anonymises every patient PATIENT_DATA_RETENTION_DAYS after the consultation or the
 * request's deadline. Lookups and erasures are audited (entity `patient`, naming the records).
 */
@Injectable()
export class PatientsService {
  private readonly logger = new Logger(PatientsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly bookings: BookingsService,
  ) {}

  /** The ids of the patient's bookings and requests in the caller's scope. */
  private async find(principal: Principal, phone: string, birthDate: string): Promise<{ bookingIds: string[]; requestIds: string[] }> {
    const e164 = toE164(phone, await communityPhoneRegion(this.dataSource, principal.communityId));
    const bScope = bookingScope(principal, 3);
    const rScope = requestScope(principal, 3);
    const [row] = await this.dataSource.query(
      `SELECT
         ARRAY(SELECT b.id FROM booking b JOIN slot s ON s.id = b.slot_id JOIN practice p ON p.id = s.practice_id
                WHERE b.patient_phone = $1 AND b.patient_birth_date = $2::date AND ${bScope.sql} ORDER BY s.starts_at DESC) AS booking_ids,
         ARRAY(SELECT r.id FROM snp_request r WHERE r.patient_phone = $1 AND r.patient_birth_date = $2::date AND ${rScope.sql} ORDER BY r.created_at DESC) AS request_ids`,
      [e164, birthDate, ...sharedParams(bScope, rScope)],
    );
    return { bookingIds: row.booking_ids, requestIds: row.request_ids };
  }

  private record(principal: Principal, action: 'read' | 'erase', ids: string[]) {
    return this.dataSource.query(
      `INSERT INTO audit_event (actor_user_id, actor_api_key_id, actor_role, ip, action, entity, entity_ids) VALUES ($1, $2, $3, $4, $5, 'patient', $6::uuid[])`,
      [...actorParams(principal), action, ids],
    );
  }

  /** `POST /patients/lookup`: the patient's bookings and requests (right of access). */
  async lookup(principal: Principal, phone: string, birthDate: string) {
    const { bookingIds, requestIds } = await this.find(principal, phone, birthDate);
    await this.record(principal, 'read', [...bookingIds, ...requestIds]);
    const bookings = await this.bookings.views(bookingIds);
    const requests = requestIds.length ? await this.dataSource.query(`SELECT * FROM snp_request WHERE id = ANY($1::uuid[]) ORDER BY created_at DESC`, [requestIds]) : [];
    return {
      bookings: bookingIds.map((id) => bookings.get(id)).filter(Boolean),
      requests: requests.map((r: any) => ({
        id: r.id, status: r.status, createdAt: r.created_at.toISOString(), deadline: r.not_after.toISOString(), bookingId: r.booking_id ?? undefined,
        patient: presentPatient(r), reason: r.reason ?? undefined,
      })),
    };
  }

  /** `POST /patients/erase`: the patient's identity anonymised now in bookings, requests and messages (right to erasure). */
  async erase(principal: Principal, phone: string, birthDate: string): Promise<Erased> {
    const { bookingIds, requestIds } = await this.find(principal, phone, birthDate);
    return this.dataSource.transaction(async (em) => {
      const [done] = await em.query(ANONYMISE_SQL, [bookingIds, requestIds]);
      await em.query(
        `INSERT INTO audit_event (actor_user_id, actor_api_key_id, actor_role, ip, action, entity, entity_ids) VALUES ($1, $2, $3, $4, 'erase', 'patient', $5::uuid[])`,
        [...actorParams(principal), [...bookingIds, ...requestIds]],
      );
      return done as Erased;
    });
  }

  /**
   * The daily retention run: anonymises the bookings whose consultation ended, and the requests
   * whose deadline passed, more than PATIENT_DATA_RETENTION_DAYS ago, with their messages.
   */
  async applyRetention(): Promise<Erased> {
    const total: Erased = { bookings: 0, requests: 0, notifications: 0 };
    const days = this.config.PATIENT_DATA_RETENTION_DAYS;
    for (;;) {
      const [due] = await this.dataSource.query(
        `SELECT ARRAY(SELECT b.id FROM slot s JOIN booking b ON b.slot_id = s.id
                       WHERE s.ends_at < now() - $1 * interval '1 day' AND b.anonymised_at IS NULL LIMIT $2) AS booking_ids,
                ARRAY(SELECT r.id FROM snp_request r WHERE r.not_after < now() - $1 * interval '1 day' AND r.anonymised_at IS NULL LIMIT $2) AS request_ids`,
        [days, RETENTION_BATCH],
      );
      if (!due.booking_ids.length && !due.request_ids.length) break;
      const [done] = await this.dataSource.query(ANONYMISE_SQL, [due.booking_ids, due.request_ids]);
      if (!done.bookings && !done.requests) break;
      total.bookings += done.bookings;
      total.requests += done.requests;
      total.notifications += done.notifications;
    }
    if (total.bookings || total.requests) this.logger.log(total, 'patient data past retention anonymised');
    return total;
  }
}
