import { WorkerHost } from '@nestjs/bullmq';
import { OnModuleDestroy } from '@nestjs/common';
import { WorkerOptions } from 'bullmq';

/**
 * Every queue's worker: a job holds its lock for 20 s, renewed every 10 s while it runs, and every
 * worker looks for stalled jobs every 10 s. A worker that dies mid-job (SIGKILL, a machine lost)
 * has its jobs taken over by another within 30 s; one stalled twice is failed (and a reconciler
 * re-adds it from Postgres).
 */
export const WORKER_OPTIONS: Partial<WorkerOptions> = { lockDuration: 20_000, stalledInterval: 10_000, maxStalledCount: 1 };

/**
 * A worker that stops taking jobs first on shutdown (SIGTERM): its active jobs finish while the
 * database, Redis and the message providers are still open (they close in later shutdown hooks).
 */
export abstract class DrainingWorkerHost extends WorkerHost implements OnModuleDestroy {
  async onModuleDestroy(): Promise<void> {
    let worker;
    try {
      worker = this.worker;
    } catch {
      return; // never started (workers disabled in this process)
    }
    await worker.close();
  }
}
