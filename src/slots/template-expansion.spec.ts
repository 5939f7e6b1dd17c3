import { expandTemplate } from './template-expansion';

const paris = 'Europe/Paris';
const weekdays = { weekdays: [1, 2, 3, 4, 5, 6, 7], validFrom: '2026-01-01', validUntil: null };

describe('weekly template expansion in Europe/Paris', () => {
  it('keeps 08:30 local across the last Sunday of March (UTC offset +1 then +2)', () => {
    const slots = expandTemplate({ ...weekdays, startTime: '08:30', endTime: '09:00', slotMinutes: 30 }, '2026-03-28', 3, paris);
    expect(slots.map((s) => s.start.toISO())).toEqual(['2026-03-28T07:30:00.000Z', '2026-03-29T06:30:00.000Z', '2026-03-30T06:30:00.000Z']);
    expect(slots.map((s) => s.start.setZone(paris).toFormat('HH:mm'))).toEqual(['08:30', '08:30', '08:30']);
  });

  it('keeps 08:30 local across the last Sunday of October', () => {
    const slots = expandTemplate({ ...weekdays, startTime: '08:30', endTime: '09:00', slotMinutes: 30 }, '2026-10-24', 3, paris);
    expect(slots.map((s) => s.start.toISO())).toEqual(['2026-10-24T06:30:00.000Z', '2026-10-25T07:30:00.000Z', '2026-10-26T07:30:00.000Z']);
  });

  it('yields no slot at a local time that does not exist (02:00–03:00 on 29 March 2026)', () => {
    const slots = expandTemplate({ ...weekdays, startTime: '01:30', endTime: '03:30', slotMinutes: 30 }, '2026-03-29', 1, paris);
    expect(slots.map((s) => s.start.setZone(paris).toFormat('HH:mm'))).toEqual(['01:30', '03:00']);
  });

  it('honours weekdays and the validity window', () => {
    const rule = { weekdays: [1, 3], startTime: '12:00', endTime: '12:20', slotMinutes: 10, validFrom: '2026-11-24', validUntil: '2026-11-30' };
    // 2026-11-23 is a Monday: Monday 23 is before validFrom, Wednesday 25 and Monday 30 count.
    const slots = expandTemplate(rule, '2026-11-23', 14, paris);
    expect(slots.map((s) => s.start.setZone(paris).toFormat('yyyy-MM-dd HH:mm'))).toEqual([
      '2026-11-25 12:00', '2026-11-25 12:10', '2026-11-30 12:00', '2026-11-30 12:10',
    ]);
  });

  it('drops a trailing remainder shorter than one slot', () => {
    const slots = expandTemplate({ ...weekdays, startTime: '08:00', endTime: '08:50', slotMinutes: 20 }, '2026-11-23', 1, paris);
    expect(slots).toHaveLength(2);
  });
});
