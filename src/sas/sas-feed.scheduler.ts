import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { DateTime } from 'luxon';
import { AppConfig } from '../config/app-config';
import { SasFeedProducer } from './sas-feed.producer';

/** Cron only enqueues: one reconcile job per minute whatever the number of replicas; none without a SAS. */
@Injectable()
export class SasFeedScheduler {
  constructor(
    private readonly producer: SasFeedProducer,
    private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_MINUTE)
  reconcile() {
    if (!this.config.SAS_FHIR_URL) return false;
    return this.producer.reconcileTick(DateTime.utc().toFormat("yyyy-LL-dd'T'HH-mm"));
  }
}
