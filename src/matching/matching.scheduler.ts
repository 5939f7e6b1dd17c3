import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { DateTime } from 'luxon';
import { MatchingProducer } from './matching.producer';

/** Cron only enqueues: one reconcile job per minute whatever the number of replicas. */
@Injectable()
export class MatchingScheduler {
  constructor(private readonly producer: MatchingProducer) {}

  @Cron(CronExpression.EVERY_MINUTE)
  reconcile() {
    return this.producer.reconcileTick(DateTime.utc().toFormat("yyyy-LL-dd'T'HH-mm"));
  }
}
