import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { MATCHING_QUEUE } from '../matching/matching.queue';
import { REQUEST_STATUSES } from '../matching/dto/requests.dto';
import { NOTIFICATION_STATUSES } from '../notifications/dto/notifications.dto';
import { NOTIFICATIONS_QUEUE } from '../notifications/notifications.queue';
import { SAS_FEED_QUEUE } from '../sas/sas-feed.queue';
import { SAS_FEED_STATUSES } from '../sas/sas-feed.service';
import { BUDGET_EXCEEDED } from '../notifications/notifications.service';
import { within } from '../redis/within';

/**
 * `snp_<name>_queue_jobs{state}` and `snp_<name>_queue_up`, from one read of the job counts per
 * scrape shared by both (prom-client collects metrics concurrently, so each awaits the same answer
 * rather than the previous scrape's).
 */
function queueGauges(name: string, queue: Queue, registers: Registry[]): void {
  let reading: Promise<Record<string, number> | null> | null = null;
  const jobCounts = () =>
    (reading ??= within(queue.getJobCounts(...QUEUE_STATES), 1500)
      .catch(() => null)
      .finally(() => (reading = null)));
  new Gauge({
    name: `snp_${name}_queue_jobs`,
    help: `Jobs of the ${name} queue by BullMQ state`,
    labelNames: ['state'],
    registers,
    collect: async function () {
      this.reset();
      const counts = await jobCounts();
      if (counts) for (const state of QUEUE_STATES) this.set({ state }, counts[state] ?? 0);
    },
  });
  new Gauge({
    name: `snp_${name}_queue_up`,
    help: `1 when the ${name} queue (Redis) answered this scrape, 0 otherwise`,
    registers,
    collect: async function () {
      this.set((await jobCounts()) ? 1 : 0);
    },
  });
}

/** `name{status}`: rows of `table` created in the last 24 hours, by status (every status shown, 0 included). */
function dayByStatus(dataSource: DataSource, registers: Registry[], name: string, help: string, table: 'snp_request' | 'notification' | 'sas_appointment_feed', statuses: readonly string[]): void {
  new Gauge({
    name,
    help,
    labelNames: ['status'],
    registers,
    collect: async function () {
      const rows: { status: string; n: number }[] = await dataSource.query(
        `SELECT status, count(*)::int AS n FROM ${table} WHERE created_at > now() - interval '24 hours' GROUP BY status`,
      );
      for (const status of statuses) this.set({ status }, rows.find((r) => r.status === status)?.n ?? 0);
    },
  });
}

/** BullMQ job states worth watching (completed jobs are removed at once). */
const QUEUE_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;

/**
 * Prometheus metrics of the matching engine, read at scrape time from Postgres and Redis, so they
 * count the work of every worker process, not only this one's. Counts only: no patient data.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor(
    dataSource: DataSource,
    @InjectQueue(MATCHING_QUEUE) matchingQueue: Queue,
    @InjectQueue(NOTIFICATIONS_QUEUE) notificationsQueue: Queue,
    @InjectQueue(SAS_FEED_QUEUE) sasQueue: Queue,
  ) {
    // A registry of our own: several apps in one process (tests) never clash on a global one.
    collectDefaultMetrics({ register: this.registry, prefix: 'snp_' });
    const registers = [this.registry];

    queueGauges('matching', matchingQueue, registers);
    queueGauges('notifications', notificationsQueue, registers);
    queueGauges('sas_feed', sasQueue, registers);

    dayByStatus(dataSource, registers, 'snp_requests', 'SNP requests filed in the last 24 hours, by current status', 'snp_request', REQUEST_STATUSES);

    new Gauge({
      name: 'snp_requests_pending_oldest_age_seconds',
      help: 'Age of the oldest request still waiting for a slot (0 when none waits)',
      registers,
      collect: async function () {
        const [row] = await dataSource.query(
          `SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS age FROM snp_request WHERE status = 'pending'`,
        );
        this.set(row.age);
      },
    });

    dayByStatus(dataSource, registers, 'snp_notifications', 'Messages to patients and practices created in the last 24 hours, by status (failed: to take up by hand)', 'notification', NOTIFICATION_STATUSES);

    new Gauge({
      name: 'snp_notifications_budget_exceeded',
      help: 'Messages of the last 24 hours not sent because an account or the deployment spent its hourly budget (NOTIFY_BUDGET_*)',
      registers,
      collect: async function () {
        const [row] = await dataSource.query(
          `SELECT count(*)::int AS n FROM notification WHERE status = 'failed' AND last_error = $1 AND created_at > now() - interval '24 hours'`,
          [BUDGET_EXCEEDED],
        );
        this.set(row.n);
      },
    });

    dayByStatus(dataSource, registers, 'snp_sas_appointments', 'Changes of appointments to report to the SAS platform written in the last 24 hours, by status', 'sas_appointment_feed', SAS_FEED_STATUSES);

    new Gauge({
      name: 'snp_sas_appointments_failed',
      help: 'Changes of appointments the SAS platform never took (failed, whenever written): listed at GET /api/v1/sas-appointments?status=failed',
      registers,
      collect: async function () {
        const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM sas_appointment_feed WHERE status = 'failed'`);
        this.set(row.n);
      },
    });

    new Gauge({
      name: 'snp_request_match_latency_seconds',
      help: 'Time from filing to booking of the requests matched in the last hour (includes waiting for a slot to be published)',
      labelNames: ['quantile'],
      registers,
      collect: async function () {
        const [row] = await dataSource.query(
          `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY d) AS p95, max(d) AS max
             FROM (SELECT extract(epoch FROM matched_at - created_at)::float AS d FROM snp_request
                    WHERE status = 'matched' AND created_at > now() - interval '25 hours' AND matched_at > now() - interval '1 hour') m`,
        );
        this.reset();
        if (row.p50 === null) return;
        this.set({ quantile: '0.5' }, row.p50);
        this.set({ quantile: '0.95' }, row.p95);
        this.set({ quantile: '1' }, row.max);
      },
    });
  }

  /** Prometheus text exposition, or JSON for people and dashboards that prefer it. */
  async render(json: boolean): Promise<{ contentType: string; body: string }> {
    if (json) return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(await this.registry.getMetricsAsJSON()) };
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
