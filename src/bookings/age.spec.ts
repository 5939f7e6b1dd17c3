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
