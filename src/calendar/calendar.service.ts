import { Injectable } from '@nestjs/common';
import { randomBytes } from 'crypto';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { DataSource } from 'typeorm';
import { sha256 } from '../auth/digest';
import { Principal } from '../auth/roles';
import { AppConfig } from '../config/app-config';
import { ForbiddenError, NotFoundError } from '../errors/domain-errors';
import { API_PREFIX } from '../api-prefix';

/** What the feed shows: a week back (what was just seen) and two weeks ahead. */
const DAYS_BACK = 7;
const DAYS_AHEAD = 14;

const MODALITIES: Record<string, string> = { in_person: 'au cabinet', teleconsultation: 'téléconsultation', home_visit: 'visite à domicile' };

/** « SNP – M. D. (1948) »: the patient's initials and birth year only (the agenda software is not ours). */
export function eventTitle(b: { patient_first_name: string | null; patient_last_name: string | null; patient_birth_date: string | null }): string {
  const initial = (s: string | null) => (s?.trim() ? `${s.trim()[0].toLocaleUpperCase('fr-FR')}.` : '');
  const initials = [initial(b.patient_first_name), initial(b.patient_last_name)].filter(Boolean).join(' ');
  const year = b.patient_birth_date ? ` (${String(b.patient_birth_date).slice(0, 4)})` : '';
  return initials ? `SNP – ${initials}${year}` : 'SNP – patient';
}

/**
 * A GP's SNP bookings as an iCalendar feed for their own agenda software, at a secret URL: the GP
 * (or a secretary of their practice) asks for it, which replaces the previous one. Only the token's
 * SHA-256 is kept; the feed carries no name, phone or reason — initials and birth year only.
 */
@Injectable()
export class CalendarService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** `POST /practitioners/:id/calendar-feed`: the GP themself, a secretary of their practice (or an admin); 404 for an unknown GP. */
  async create(p: Principal, practitionerId: string, requestBase: string): Promise<{ url: string }> {
    if (p.role === 'gp' && p.practitionerId !== practitionerId) throw new ForbiddenError('Un médecin ne crée que son propre lien d’agenda');
    if (p.role !== 'gp' && p.role !== 'secretary' && p.role !== 'admin') throw new ForbiddenError('Le lien d’agenda se crée par le médecin ou le secrétariat de son cabinet');
    const token = randomBytes(32).toString('base64url');
    const rows = await this.dataSource.query(
      `INSERT INTO calendar_feed (practitioner_id, token_hash, created_by_user_id)
       SELECT pr.id, $2, $3 FROM practitioner pr WHERE pr.id = $1 AND ($4::uuid IS NULL OR pr.practice_id = $4)
       ON CONFLICT (practitioner_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_by_user_id = EXCLUDED.created_by_user_id, created_at = now()
       RETURNING practitioner_id`,
      [practitionerId, sha256(token), p.kind === 'user' ? p.id : null, p.role === 'secretary' ? p.practiceId : null],
    );
    if (!rows.length) throw new NotFoundError('Praticien');
    return { url: `${this.base(requestBase)}/${API_PREFIX}/calendar-feeds/${token}.ics` };
  }

  private base(requestBase: string): string {
    return (this.config.PUBLIC_URL ?? requestBase).replace(/\/+$/, '');
  }

  /** `GET /calendar-feeds/<token>.ics`, without other credentials: the GP's live bookings, 7 days back to 14 ahead. */
  async feed(token: string, requestBase: string): Promise<string> {
    const [gp] = /^[A-Za-z0-9_-]{43}$/.test(token)
      ? await this.dataSource.query(
          `SELECT pr.id, pr.first_name, pr.last_name FROM calendar_feed f JOIN practitioner pr ON pr.id = f.practitioner_id WHERE f.token_hash = $1`,
          [sha256(token)],
        )
      : [];
    if (!gp) throw new NotFoundError('Agenda');
    const bookings = await this.dataSource.query(
      `SELECT b.id, b.status, s.starts_at, s.ends_at, s.modality, b.patient_first_name, b.patient_last_name, b.patient_birth_date, p.name AS practice_name
         FROM booking b JOIN slot s ON s.id = b.slot_id JOIN practice p ON p.id = s.practice_id
        WHERE b.practitioner_id = $1 AND b.status <> 'cancelled'
          AND b.slot_starts_at >= now() - $2 * interval '1 day' AND b.slot_starts_at < now() + $3 * interval '1 day'
        ORDER BY b.slot_starts_at, b.id`,
      [gp.id, DAYS_BACK, DAYS_AHEAD],
    );
    const web = this.base(requestBase);
    const host = new URL(web).host;
    const calendar = ical({ name: `SNP – Dr ${gp.first_name} ${gp.last_name}`, prodId: { company: 'CPTS', product: 'soins-non-programmes', language: 'FR' }, method: ICalCalendarMethod.PUBLISH, ttl: 15 * 60 });
    for (const b of bookings) {
      calendar.createEvent({
        id: `${b.id}@${host}`,
        start: b.starts_at,
        end: b.ends_at,
        summary: eventTitle(b),
        description: `Soin non programmé, ${MODALITIES[b.modality] ?? b.modality} (${b.practice_name}). Le rendez-vous : ${web}/rendez-vous/${b.id}`,
        url: `${web}/rendez-vous/${b.id}`,
      });
    }
    return calendar.toString();
  }
}
