import { DateTime } from 'luxon';
import { ValidationFailedError } from '../errors/domain-errors';

export const ZONE = 'Europe/Paris';
/** The longest period the figures cover: a year, leap day included. */
export const MAX_PERIOD_DAYS = 366;

export interface Period {
  /** The first day's start, Paris time. */
  from: Date;
  /** The day after the last one, at its start, Paris time (exclusive). */
  to: Date;
  fromDay: string;
  toDay: string;
}

const invalid = (field: string, message: string) => new ValidationFailedError('Période invalide', [{ field, messages: [message] }]);

/** `from` and `to`, Paris calendar days, both included: the instants they cover. 400 when reversed or longer than a year. */
export function parsePeriod(fromDay: string, toDay: string): Period {
  const from = DateTime.fromISO(fromDay, { zone: ZONE }).startOf('day');
  const to = DateTime.fromISO(toDay, { zone: ZONE }).startOf('day');
  if (!from.isValid) throw invalid('from', 'from doit être une date AAAA-MM-JJ existante');
  if (!to.isValid) throw invalid('to', 'to doit être une date AAAA-MM-JJ existante');
  if (to < from) throw invalid('to', `to (${toDay}) est avant from (${fromDay}) : la période commence par from`);
  if (to.diff(from, 'days').days > MAX_PERIOD_DAYS) throw invalid('to', `La période est limitée à ${MAX_PERIOD_DAYS} jours entre from et to`);
  return { from: from.toJSDate(), to: to.plus({ days: 1 }).toJSDate(), fromDay, toDay };
}

/** `2026-W48` → that ISO week's Monday 00:00 to the next Monday, Paris time; 400 for a week that does not exist (`2026-W54`). */
export function parseIsoWeek(week: string): { week: string; from: Date; to: Date } {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  const start = m ? DateTime.fromObject({ weekYear: +m[1], weekNumber: +m[2], weekday: 1 }, { zone: ZONE }) : null;
  if (!m || !start?.isValid || start.weekNumber !== +m[2] || start.weekYear !== +m[1]) {
    throw invalid('week', `La semaine ${week.slice(0, 20)} n’existe pas (semaines ISO 01 à 52, ou 53 certaines années)`);
  }
  return { week, from: start.toJSDate(), to: start.plus({ weeks: 1 }).toJSDate() };
}

/** The ISO week (Paris time) of an instant, `2026-W48`. */
export const isoWeekOf = (d: Date | DateTime): string => (d instanceof Date ? DateTime.fromJSDate(d, { zone: ZONE }) : d.setZone(ZONE)).toFormat("kkkk-'W'WW");

/** The ISO week going on now, Paris time. */
export const currentIsoWeek = (): string => isoWeekOf(DateTime.now());

/** Every ISO week that overlaps the period, in order (their Mondays, `YYYY-MM-DD`, and names). */
export function weeksOf(p: Period): Array<{ monday: string; week: string }> {
  const out: Array<{ monday: string; week: string }> = [];
  let monday = DateTime.fromJSDate(p.from, { zone: ZONE }).startOf('week');
  const end = DateTime.fromJSDate(p.to, { zone: ZONE });
  while (monday < end) {
    out.push({ monday: monday.toISODate()!, week: isoWeekOf(monday) });
    monday = monday.plus({ weeks: 1 });
  }
  return out;
}
