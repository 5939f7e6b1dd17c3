import { DateTime } from 'luxon';

const ZONE = 'Europe/Paris';

/**
 * Whole months of age on today's date in Paris (negative for a birth date in the future).
 * Calendar arithmetic on two calendar dates: only "today" needs the time zone (the costly part of
 * luxon, done once), the birth date is a plain date.
 */
export function ageInMonths(birthDate: string, now: DateTime = DateTime.now()): number {
  const today = now.setZone(ZONE);
  const birth = DateTime.fromISO(birthDate, { zone: 'utc' });
  const months = (today.year - birth.year) * 12 + (today.month - birth.month);
  return today.day < birth.day ? months - 1 : months;
}
