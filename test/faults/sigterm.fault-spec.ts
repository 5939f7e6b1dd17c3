import { DataSource } from 'typeorm';
import { matchingScene } from '../matching/scene';
import { eventually, Harness, patient } from '../support/harness';
import { load, LoadClient, Outcome, sleep } from './load';
import { ServiceProcess } from './processes';
import { bookingIntegrity, loadScene } from './scene';

/**
 * A deployment sends SIGTERM. An API process under load stops taking connections, answers every
 * request it had taken, and exits 0 within 30 s; a worker finishes (or hands back) its active jobs
 * and exits 0 within 30 s, and another worker does the rest: nothing lost, nothing done twice.
 */
describe('SIGTERM during load', () => {
  let h: Harness;
  const processes: ServiceProcess[] = [];
  beforeAll(async () => {
    h = await Harness.start({ WORKERS_ENABLED: false });
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await h?.close();
  });

  it('an API process finishes the requests in flight, takes no more, and exits', async () => {
    const scene = await loadScene(h, { gps: 8, perGp: 250, secretaries: 6 });
    const api = await ServiceProcess.api({ LOG_LEVEL: 'info' });
    processes.push(api);
    const client = new LoadClient(api.url, 10_000, 30);
    const free = [...scene.slotIds];
    const calls: Outcome[] = [];
    let running = true;
    const loaded = load(30, () => running, async (c) => {
      const who = scene.secretaries[c % scene.secretaries.length];
      // Bookings and searches, as the secretaries' pages send them.
      if (c % 3 === 0) calls.push(await client.call('GET', `/api/v1/slots/search?lat=${scene.place.lat}&lon=${scene.place.lon}`, who.token));
      else calls.push(await client.call('POST', '/api/v1/bookings', who.token, { slotId: free.pop(), patient: patient({ lastName: `Patient${c}` }) }));
      if (calls[calls.length - 1].error === 'ECONNREFUSED') await sleep(50);
    });
    await sleep(3000);
    const killedAt = Date.now();
    api.kill('SIGTERM');
    const exit = await api.exited;
    running = false;
    await loaded;
    await client.close();

    expect(exit.code).toBe(0);
    expect(exit.at - killedAt).toBeLessThan(30_000);
    // Every request sent before the signal got its whole answer: none reset, none lost.
    const before = calls.filter((c) => c.sentAt < killedAt - 20);
    expect(before.length).toBeGreaterThan(50);
    expect(before.filter((c) => c.status === null).map((c) => c.error)).toEqual([]);
    expect(before.filter((c) => ![200, 201, 503].includes(c.status!)).map((c) => c.status)).toEqual([]);
    // After it: not taken (503 and Connection: close on a kept-alive connection, or refused).
    const after = calls.filter((c) => c.sentAt > killedAt + 100);
    expect(after.filter((c) => c.status !== 503 && !['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(c.error ?? '')).map((c) => c.status ?? c.error)).toEqual([]);
    expect(api.logs(/stopping: finishing the work in hand/).length).toBe(1);

    const created = calls.filter((c) => c.status === 201).map((c) => c.body.id as string);
    const [{ found }] = await scene.ds.query(`SELECT count(*)::int AS found FROM booking WHERE id = ANY($1)`, [created]);
    expect(found).toBe(created.length);
    expect(await bookingIntegrity(scene.ds, scene.practiceId)).toEqual({ doubleBooked: 0, bookingWithoutBookedSlot: 0, bookedSlotWithoutBooking: 0, bookingWithoutNotification: 0 });
  }, 120_000);

  it('a worker finishes or hands back its active jobs, exits, and another does the rest', async () => {
    const scene = await matchingScene(h, 2);
    const slots = [
      ...(await h.publish(scene.practitioners[0].gp, scene.practitioners[0].id, [60, 75, 90, 105, 120, 135, 150, 165, 180, 195])),
      ...(await h.publish(scene.practitioners[1].gp, scene.practitioners[1].id, [60, 75, 90, 105, 120, 135, 150, 165, 180, 195])),
    ];
    const filed = await Promise.all(Array.from({ length: 120 }, () => scene.file()));
    const ids = filed.map((r) => r.id);
    const all = () => scene.getAll(ids);

    const first = await ServiceProcess.worker({ MATCHING_CONCURRENCY: '8' });
    processes.push(first);
    await eventually(all, (rs) => rs.some((r: any) => r.status === 'matched'), 30_000);
    const killedAt = Date.now();
    first.kill('SIGTERM');
    const exit = await first.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - killedAt).toBeLessThan(30_000);
    expect(first.logs(/^stopped$/).length).toBe(1);

    processes.push(await ServiceProcess.worker({ MATCHING_CONCURRENCY: '8' }));
    const settled = await eventually(all, (rs) => rs.filter((r: any) => r.status === 'matched').length === 20 && rs.every((r: any) => r.attempts >= 1), 60_000);
    expect(settled.filter((r: any) => r.status === 'pending')).toHaveLength(100);
    const [check] = await h.app.get(DataSource).query(
      `SELECT count(*)::int AS bookings, count(DISTINCT slot_id)::int AS slots FROM booking WHERE slot_id = ANY($1) AND status <> 'cancelled'`,
      [slots.map((s) => s.id)],
    );
    expect(check).toEqual({ bookings: 20, slots: 20 });
  }, 150_000);
});
