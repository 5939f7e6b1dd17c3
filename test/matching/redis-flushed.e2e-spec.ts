import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { MatchingService } from '../../src/matching/matching.service';
import { MATCHING_QUEUE } from '../../src/matching/matching.queue';
import { eventually, Harness, inMinutes } from '../support/harness';
import { testConfig } from '../support/test-config';
import { matchingScene } from './scene';

/**
 * Redis restarted empty (FLUSHALL) while requests were waiting, and a slot appeared without its
 * event reaching the queue. Postgres still has the requests: the reconciler queues them again and
 * they are matched.
 */
describe('Redis loses every job', () => {
  let api: Harness;
  let workers: Harness;
  beforeAll(async () => {
    // The API files requests; no worker runs yet, so their jobs are only in Redis.
    api = await Harness.start({ WORKERS_ENABLED: false });
  });
  afterAll(async () => {
    await workers?.close();
    await api.close();
  });

  it('the reconciler restores pending requests and they get matched', async () => {
    const scene = await matchingScene(api, 1);
    const filed = await Promise.all([scene.file(), scene.file(), scene.file()]);
    const queue = api.app.get<Queue>(getQueueToken(MATCHING_QUEUE));
    expect(await queue.getJob(filed[0].id)).toBeDefined();

    const redis = new Redis(testConfig().REDIS_URL);
    try {
      await redis.flushall();
    } finally {
      redis.disconnect();
    }
    expect(await queue.getJob(filed[0].id)).toBeUndefined();

    // Two slots written straight to the database: no event, no job; only the reconciler can find them.
    const ds = api.app.get(DataSource);
    const [{ id: practitionerId }] = [scene.practitioners[0]];
    await ds.query(
      `INSERT INTO slot (practitioner_id, practice_id, starts_at, ends_at, modality) VALUES ($1, $2, $3, $4, 'in_person'), ($1, $2, $5, $6, 'in_person')`,
      [practitionerId, scene.practiceId, inMinutes(100), inMinutes(115), inMinutes(120), inMinutes(135)],
    );

    workers = await Harness.start({ WORKERS_ENABLED: true });
    // The minute's reconcile may run first in the new process; either run re-adds the same jobs.
    await workers.app.get(MatchingService).reconcile();
    expect(await queue.getJob(`${filed[0].id}-escalate`)).toBeDefined();

    const settled = await eventually(
      () => scene.getAll(filed.map((r) => r.id)),
      (all) => all.filter((r) => r.status === 'matched').length === 2,
      10_000,
    );
    expect(settled.filter((r) => r.status === 'pending')).toHaveLength(1);
    expect(new Set(settled.filter((r) => r.booking).map((r) => r.booking.slot.id)).size).toBe(2);
  });
});
