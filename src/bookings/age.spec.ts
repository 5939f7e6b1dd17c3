import { DateTime } from 'luxon';
import { ageInMonths } from './age';

const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Paris' });

describe('ageInMonths', () => {
  it('counts whole months up to today in Paris', () => {
    expect(ageInMonths('2026-03-23', at('2026-11-23T10:00'))).toBe(8);
    expect(ageInMonths('2026-03-24', at('2026-11-23T10:00'))).toBe(7);
    expect(ageInMonths('2020-11-23', at('2026-11-23T00:05'))).toBe(72);
  });

  it('uses the Paris date, not the UTC one, around midnight', () => {
    // 23:30 UTC on 22 November is already 23 November in Paris.
    expect(ageInMonths('2026-03-23', DateTime.fromISO('2026-11-22T23:30:00Z'))).toBe(8);
  });

  it('handles month ends and leap days', () => {
    expect(ageInMonths('2026-01-31', at('2026-02-28T12:00'))).toBe(0);
    expect(ageInMonths('2026-01-31', at('2026-03-01T12:00'))).toBe(1);
    expect(ageInMonths('2024-02-29', at('2025-02-28T12:00'))).toBe(11);
    expect(ageInMonths('2024-02-29', at('2025-03-01T12:00'))).toBe(12);
  });

  it('is negative for a birth date in the future', () => {
    expect(ageInMonths('2026-11-24', at('2026-11-23T12:00'))).toBe(-1);
    expect(ageInMonths('2026-11-23', at('2026-11-23T12:00'))).toBe(0);
  });
});

describe('ageInMonths across Paris midnight', () => {
  it('moves to the new day at midnight Paris time, also on a DST change day', () => {
    // 29 March 2026: clocks go forward at 02:00 in Paris; midnight is 23:00 UTC the day before.
    expect(ageInMonths('2025-03-29', DateTime.fromISO('2026-03-28T22:59:59Z'))).toBe(11);
    expect(ageInMonths('2025-03-29', DateTime.fromISO('2026-03-28T23:00:00Z'))).toBe(12);
    // 25 October 2026: clocks go back at 03:00; midnight Paris is 22:00 UTC the day before.
    expect(ageInMonths('2025-10-25', DateTime.fromISO('2026-10-24T21:59:59Z'))).toBe(11);
    expect(ageInMonths('2025-10-25', DateTime.fromISO('2026-10-24T22:00:00Z'))).toBe(12);
    expect(ageInMonths('2025-10-26', DateTime.fromISO('2026-10-25T22:59:59Z'))).toBe(11);
    expect(ageInMonths('2025-10-26', DateTime.fromISO('2026-10-25T23:00:00Z'))).toBe(12);
  });
});
