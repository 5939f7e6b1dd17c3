import { DataSource } from 'typeorm';
import { eventually, Harness } from '../support/harness';
import { matchingScene } from './scene';

/** A busy winter morning: 30 requests filed at once, 10 fitting slots in reach. */
describe('30 simultaneous requests for 10 slots', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h.close();
  });

  it('matches exactly 10, leaves 20 pending, books no slot twice', async () => {
    const scene = await matchingScene(h, 2);
    const slots = [
      ...(await h.publish(scene.practitioners[0].gp, scene.practitioners[0].id, [60, 80, 100, 120, 140])),
      ...(await h.publish(scene.practitioners[1].gp, scene.practitioners[1].id, [60, 80, 100, 120, 140])),
    ];

    const filed = await Promise.all(Array.from({ length: 30 }, () => scene.file()));
    expect(filed.every((r) => r.status === 'pending')).toBe(true);

    const settled = await eventually(
      () => scene.getAll(filed.map((r) => r.id)),
      (all) => all.filter((r) => r.status === 'matched').length === 10 && all.every((r) => r.attempts >= 1),
      60_000,
    );
    expect(settled.filter((r) => r.status === 'pending')).toHaveLength(20);
    const booked = settled.filter((r) => r.status === 'matched').map((r) => r.booking.slot.id);
    expect(new Set(booked).size).toBe(10);
    expect(new Set(booked)).toEqual(new Set(slots.map((s) => s.id)));

    // The database agrees: one live booking per slot, and every slot booked.
    const ds = h.app.get(DataSource);
    const [check] = await ds.query(
      `SELECT count(*)::int AS bookings, count(DISTINCT slot_id)::int AS slots FROM booking WHERE slot_id = ANY($1) AND status <> 'cancelled'`,
      [slots.map((s) => s.id)],
    );
    expect(check).toEqual({ bookings: 10, slots: 10 });

    // Both GPs got patients: the spread rule does not pile them on one volunteer.
    const perGp = new Map<string, number>();
    for (const r of settled.filter((x) => x.status === 'matched')) perGp.set(r.booking.practitioner.id, (perGp.get(r.booking.practitioner.id) ?? 0) + 1);
    expect([...perGp.values()].sort()).toEqual([5, 5]);
  }, 90_000);
});
