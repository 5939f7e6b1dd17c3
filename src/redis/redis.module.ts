import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { EvictionPolicyCheck } from './eviction-policy';

const logger = new Logger('Redis');

export const REDIS = Symbol('REDIS');

/** Closes the shared client on shutdown so tests and workers exit cleanly. */
@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    // quit() waits for a connection that may never come; disconnect() also stops reconnecting.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}

/** A producer-side client: fails fast when Redis is down instead of queueing commands forever. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (c: AppConfig) => {
        const redis = new Redis(c.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 });
        let lastWarning = 0;
        redis.on('error', (e: Error) => {
          // /health reports the outage; one log line a minute is enough.
          if (Date.now() - lastWarning > 60_000) {
            lastWarning = Date.now();
            logger.warn({ err: e.message }, 'Redis unreachable');
          }
        });
        return redis;
      },
    },
    RedisCloser,
    { provide: EvictionPolicyCheck, inject: [REDIS], useFactory: (redis: Redis) => new EvictionPolicyCheck(redis) },
  ],
  exports: [REDIS],
})
export class RedisModule {}
