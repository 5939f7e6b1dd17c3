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

/** Days in a month of the (proleptic) Gregorian calendar, as luxon counts them. */
const daysInMonth = (year: number, month: number) =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/**
 * Year, month and day of a calendar date YYYY-MM-DD that exists, read straight from the text (what
 * luxon's fromISO finds, at a fraction of its cost: a booking and a match each read one or two);
 * null for anything else.
 */
export function calendarDate(text: string): { year: number; month: number; day: number } | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const [year, month, day] = [Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10))];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) ? { year, month, day } : null;
}

/**
 * Whole months of age on today's date in Paris (negative for a birth date in the future).
 * Calendar arithmetic on two calendar dates: only "today" needs the time zone.
 */
export function ageInMonths(birthDate: string, now?: DateTime): number {
  const t = parisToday(now ? now.toMillis() : Date.now());
  const birth = calendarDate(birthDate) ?? DateTime.fromISO(birthDate, { zone: 'utc' });
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
