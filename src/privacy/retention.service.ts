import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AuditTrailService } from './audit-trail.service';
import { Erased, PatientsService } from './patients.service';

export interface RetentionRun {
  patients: Erased;
  auditEventsDeleted: number;
  sessionsForgotten: number;
}

/**
 * The daily retention run (a BullMQ job the cron only enqueues): patients anonymised past
 * PATIENT_DATA_RETENTION_DAYS, audit events deleted past AUDIT_RETENTION_DAYS, and the sign-in
 * leftovers that can no longer serve (revoked tokens past their expiry, spent challenges).
 */
@Injectable()
export class RetentionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly patients: PatientsService,
    private readonly auditTrail: AuditTrailService,
  ) {}

  async run(): Promise<RetentionRun> {
    const patients = await this.patients.applyRetention();
    const auditEventsDeleted = await this.auditTrail.purge(this.config.AUDIT_RETENTION_DAYS);
    const [{ n }] = await this.dataSource.query(
      `WITH t AS (DELETE FROM revoked_token WHERE expires_at < now() RETURNING 1),
            c AS (DELETE FROM auth_challenge WHERE expires_at < now() - interval '1 day' RETURNING 1),
            l AS (DELETE FROM psc_login WHERE expires_at < now() - interval '1 day' RETURNING 1)
       SELECT ((SELECT count(*) FROM t) + (SELECT count(*) FROM c) + (SELECT count(*) FROM l))::int AS n`,
    );
    return { patients, auditEventsDeleted, sessionsForgotten: n };
  }
}
