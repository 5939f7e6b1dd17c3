import { DateTime } from 'luxon';

export interface TemplateRule {
  weekdays: number[]; // ISO: 1 = Monday … 7 = Sunday
  startTime: string; // "HH:MM" local
  endTime: string;
  slotMinutes: number;
  validFrom: string; // ISO date, local
  validUntil: string | null;
}

export interface ExpandedSlot {
  start: DateTime; // UTC
  end: DateTime;
}

const hm = (t: string) => {
  const [h, m] = t.split(':').map(Number);
  return h * 60 + m;
};

/**
 * The slots a weekly template yields on the local days [firstDay, firstDay + days) in `zone`.
 * Local wall-clock times are kept across DST (08:30 stays 08:30); a local time that does not
 * exist (spring-forward gap) yields no slot rather than a shifted one.
 */
export function expandTemplate(rule: TemplateRule, firstDay: string, days: number, zone: string): ExpandedSlot[] {
  const out: ExpandedSlot[] = [];
  const from = hm(rule.startTime);
  const until = hm(rule.endTime);
  let day = DateTime.fromISO(firstDay, { zone }).startOf('day');
  for (let i = 0; i < days; i++, day = day.plus({ days: 1 })) {
    const iso = day.toISODate()!;
    if (!rule.weekdays.includes(day.weekday)) continue;
    if (iso < rule.validFrom || (rule.validUntil && iso > rule.validUntil)) continue;
    for (let m = from; m + rule.slotMinutes <= until; m += rule.slotMinutes) {
      const start = localTime(day, m, zone);
      if (!start) continue;
      // A slot lasts slotMinutes of real time, even when the clock jumps just after it starts.
      out.push({ start: start.toUTC(), end: start.plus({ minutes: rule.slotMinutes }).toUTC() });
    }
  }
  return out;
}

/** The instant of a local wall-clock time, or null when that time does not exist that day. */
export function localTime(day: DateTime, minutesOfDay: number, zone: string): DateTime | null {
  const hour = Math.floor(minutesOfDay / 60);
  const minute = minutesOfDay % 60;
  const t = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone });
  return t.isValid && t.hour === hour && t.minute === minute ? t : null;
}
