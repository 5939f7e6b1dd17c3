import { DataSource } from 'typeorm';
import { matchingScene } from '../matching/scene';
import { eventually, Harness } from '../support/harness';
import { ServiceProcess } from './processes';

/**
 * The machine running a matching worker dies (SIGKILL, no shutdown) while it works through a rush
 * of requests. Another worker takes over the jobs the dead one held once their lock expires (held
 * 20 s, stalled jobs looked for every 10 s: src/redis/worker-host.ts), in under 60 s: every
 * request is tried, none is lost, no slot is booked twice.
 */
describe('a matching worker killed mid-run', () => {
  let h: Harness;
  const workers: ServiceProcess[] = [];
  beforeAll(async () => {
    h = await Harness.start({ WORKERS_ENABLED: false });
  });
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await h.close();
  });

  it('loses no request, books no slot twice, and is taken over in under 60 s', async () => {
    const scene = await matchingScene(h, 2);
    const slots = [
      ...(await h.publish(scene.practitioners[0].gp, scene.practitioners[0].id, [60, 80, 100, 120, 140])),
      ...(await h.publish(scene.practitioners[1].gp, scene.practitioners[1].id, [60, 80, 100, 120, 140])),
    ];
    const filed = await Promise.all(Array.from({ length: 60 }, () => scene.file()));
    const all = () => scene.getAll(filed.map((r) => r.id));

    const first = await ServiceProcess.worker({ MATCHING_CONCURRENCY: '4' });
    workers.push(first);
    await eventually(all, (rs) => rs.some((r: any) => r.status === 'matched'), 30_000);
    first.kill('SIGKILL');
    const killedAt = (await first.exited).at;
    workers.push(await ServiceProcess.worker({ MATCHING_CONCURRENCY: '4' }));

    const settled = await eventually(all, (rs) => rs.filter((r: any) => r.status === 'matched').length === 10 && rs.every((r: any) => r.attempts >= 1), 60_000);
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    expect(settled.filter((r: any) => r.status === 'pending')).toHaveLength(50);

    const [check] = await h.app.get(DataSource).query(
      `SELECT count(*)::int AS bookings, count(DISTINCT slot_id)::int AS slots,
              (SELECT count(*)::int FROM snp_request WHERE id = ANY($2) AND status = 'matched') AS matched
         FROM booking WHERE slot_id = ANY($1) AND status <> 'cancelled'`,
      [slots.map((s) => s.id), filed.map((r) => r.id)],
    );
    expect(check).toEqual({ bookings: 10, slots: 10, matched: 10 });
  }, 150_000);
});
