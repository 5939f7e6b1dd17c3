import { addOnCounter, addOnReason, AddOnRow } from './add-ons';

const GP = '10003456789';
const row = (over: Partial<AddOnRow> = {}, i = 0): AddOnRow => ({
  id: `b${String(i).padStart(3, '0')}`,
  practitioner_id: 'p',
  gp_rpps: GP,
  created_at: new Date('2026-11-23T08:00:00Z'),
  slot_starts_at: new Date(Date.parse('2026-11-23T10:00:00Z') + i * 60_000),
  channel: 'regulation',
  status: 'attended',
  patient_referring_gp_rpps: null,
  request_filed_by: null,
  request_created_at: null,
  ...over,
});

describe('the SNP add-on rule', () => {
  it('names the first reason that applies', () => {
    expect(addOnReason(row())).toBeNull();
    expect(addOnReason(row({ status: 'cancelled', channel: 'secretary' }))).toBe('cancelled');
    expect(addOnReason(row({ channel: 'secretary' }))).toBe('not_regulated');
    expect(addOnReason(row({ channel: 'matching', request_filed_by: 'secretary' }))).toBe('not_regulated');
    expect(addOnReason(row({ channel: 'matching', request_filed_by: 'regulator' }))).toBeNull();
    // For the engine's booking, the 48 h run from the request's filing (the referral), not from the booking.
    const filed = new Date('2026-11-21T08:00:00Z');
    expect(addOnReason(row({ channel: 'matching', request_filed_by: 'regulator', request_created_at: filed, slot_starts_at: new Date('2026-11-23T08:00:00Z') }))).toBeNull();
    expect(addOnReason(row({ channel: 'matching', request_filed_by: 'regulator', request_created_at: filed, slot_starts_at: new Date('2026-11-23T08:00:01Z') }))).toBe('beyond_48h');
    expect(addOnReason(row({ status: 'no_show' }))).toBe('not_attended');
    expect(addOnReason(row({ status: 'confirmed' }))).toBe('not_attended');
    expect(addOnReason(row({ slot_starts_at: new Date('2026-11-25T08:00:00Z') }))).toBeNull();
    expect(addOnReason(row({ slot_starts_at: new Date('2026-11-25T08:00:01Z') }))).toBe('beyond_48h');
    expect(addOnReason(row({ patient_referring_gp_rpps: GP }))).toBe('own_patient');
    expect(addOnReason(row({ patient_referring_gp_rpps: '10001234567' }))).toBeNull();
  });

  it('pays the first 20 eligible of the week by start; the 21st is over the limit', () => {
    const rows = Array.from({ length: 22 }, (_, i) => row({}, i)).reverse();
    rows.push(row({ channel: 'secretary' }, 30));
    const c = addOnCounter('p', '2026-W48', rows);
    expect(c).toMatchObject({ limit: 20, eligible: 22, payable: 20, overLimit: 2 });
    expect(c.bookings.map((b) => b.bookingId).slice(0, 3)).toEqual(['b000', 'b001', 'b002']);
    expect(c.bookings[19]).toMatchObject({ eligible: true, payable: true });
    expect(c.bookings[20]).toMatchObject({ bookingId: 'b020', eligible: true, payable: false });
    expect(c.bookings.at(-1)).toEqual({ bookingId: 'b030', start: expect.any(String), eligible: false, reason: 'not_regulated' });
  });
});
