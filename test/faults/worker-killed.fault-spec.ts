import { ChildProcess } from 'child_process';
import { DataSource } from 'typeorm';
import { eventually, Harness } from '../support/harness';
import { startWorker as startWorkerProcess } from '../support/worker';
import { matchingScene } from './scene';

const startWorker = (): ChildProcess => startWorkerProcess({ MATCHING_CONCURRENCY: '4' });

/**
 * The machine running the matching worker dies (SIGKILL, no shutdown) while it works through a
 * rush of requests. A new worker takes over: every request is tried, none is lost, no slot is
 * booked twice. Jobs the dead worker held come back after BullMQ's lock expires (30 s).
 */
describe('a matching worker killed mid-run', () => {
  let api: Harness;
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    api = await Harness.start({ WORKERS_ENABLED: false });
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await api.close();
  });

  it('loses no request and books no slot twice', async () => {
    const scene = await matchingScene(api, 2);
    const slots = [
      ...(await api.publish(scene.practitioners[0].gp, scene.practitioners[0].id, [60, 80, 100, 120, 140])),
      ...(await api.publish(scene.practitioners[1].gp, scene.practitioners[1].id, [60, 80, 100, 120, 140])),
    ];
    const filed = await Promise.all(Array.from({ length: 30 }, () => scene.file()));
    const all = () => scene.getAll(filed.map((r) => r.id));

    const first = startWorker();
    workers.push(first);
    await eventually(all, (rs) => rs.some((r) => r.status === 'matched'), 30_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    workers.push(startWorker());
    const settled = await eventually(all, (rs) => rs.filter((r) => r.status === 'matched').length === 10 && rs.every((r) => r.attempts >= 1), 120_000);
    expect(settled.filter((r) => r.status === 'pending')).toHaveLength(20);

    const ds = api.app.get(DataSource);
    const [check] = await ds.query(
      `SELECT count(*)::int AS bookings, count(DISTINCT slot_id)::int AS slots,
              (SELECT count(*)::int FROM snp_request WHERE id = ANY($2) AND status = 'matched') AS matched
         FROM booking WHERE slot_id = ANY($1) AND status <> 'cancelled'`,
      [slots.map((s) => s.id), filed.map((r) => r.id)],
    );
    expect(check).toEqual({ bookings: 10, slots: 10, matched: 10 });
  }, 180_000);
});
