import { DateTime } from 'luxon';
import { ValidationFailedError } from '../errors/domain-errors';

const ZONE = 'Europe/Paris';

/** Today in Paris, kept until the Paris day ends: the time-zone lookup is luxon's costly part. */
let today: { date: DateTime; untilMs: number } | null = null;

function parisToday(nowMs: number): DateTime {
  if (!today || nowMs >= today.untilMs || nowMs < today.date.toMillis()) {
    const date = DateTime.fromMillis(nowMs, { zone: ZONE }).startOf('day');
    today = { date, untilMs: date.plus({ days: 1 }).toMillis() };
  }
  return today.date;
}

/**
 * Whole months of age on today's date in Paris (negative for a birth date in the future).
 * Calendar arithmetic on two calendar dates: only "today" needs the time zone.
 */
export function ageInMonths(birthDate: string, now: DateTime = DateTime.now()): number {
  const t = parisToday(now.toMillis());
  const birth = DateTime.fromISO(birthDate, { zone: 'utc' });
  const months = (t.year - birth.year) * 12 + (t.month - birth.month);
  return t.day < birth.day ? months - 1 : months;
}

/** A patient's age in months for booking rules; 400 for a birth date in the future or over 130 years ago. */
export function patientAgeMonths(birthDate: string): number {
  const months = ageInMonths(birthDate);
  if (months < 0) throw new ValidationFailedError('La date de naissance est dans le futur', [{ field: 'patient.birthDate', messages: ['date de naissance future'] }]);
  if (months > 130 * 12) throw new ValidationFailedError('La date de naissance est invalide (plus de 130 ans)', [{ field: 'patient.birthDate', messages: ['date de naissance trop ancienne'] }]);
  return months;
}
