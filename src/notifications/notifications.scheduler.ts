import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { DateTime } from 'luxon';
import { NotificationsProducer } from './notifications.producer';

/** Cron only enqueues: one reconcile job per minute whatever the number of replicas. */
@Injectable()
export class NotificationsScheduler {
  constructor(private readonly producer: NotificationsProducer) {}

  @Cron(CronExpression.EVERY_MINUTE)
  reconcile() {
    return this.producer.reconcileTick(DateTime.utc().toFormat("yyyy-LL-dd'T'HH-mm"));
  }
}
