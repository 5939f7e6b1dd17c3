import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import Redis from 'ioredis';
import { within } from './within';

const logger = new Logger('Redis');

/**
 * The server's `maxmemory-policy`: `CONFIG GET` first, then `INFO memory` (managed Redis services
 * often refuse CONFIG); null when neither answers.
 */
export async function readEvictionPolicy(redis: Redis, ms = 3000): Promise<string | null> {
  try {
    const reply = (await within(redis.config('GET', 'maxmemory-policy'), ms)) as string[];
    if (reply?.[0] === 'maxmemory-policy' && reply[1]) return reply[1];
  } catch (e) {
    logger.debug({ err: (e as Error).message }, 'CONFIG GET maxmemory-policy refused; reading INFO memory');
  }
  try {
    const info = await within(redis.info('memory'), ms);
    return /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? null;
  } catch (e) {
    logger.debug({ err: (e as Error).message }, 'INFO memory refused: maxmemory-policy unknown');
    return null;
  }
}

/**
 * At start (API and worker alike): a warning in the log when Redis may evict keys. BullMQ keeps
 * jobs, their locks and their ids in plain keys: under memory pressure any policy but
 * `noeviction` silently drops some, and jobs are lost or run twice. Built by RedisModule with its
 * shared client.
 */
export class EvictionPolicyCheck implements OnApplicationBootstrap {
  constructor(private readonly redis: Redis) {}

  onApplicationBootstrap(): void {
    // The shared client has no offline queue: ask once it is connected, without holding up the start.
    if (this.redis.status === 'ready') void this.check();
    else this.redis.once('ready', () => void this.check());
  }

  async check(): Promise<string | null> {
    // Unknown (CONFIG and INFO refused): readEvictionPolicy has said so at debug level.
    const policy = await readEvictionPolicy(this.redis);
    if (policy !== null && policy !== 'noeviction') {
      logger.warn(
        { maxmemoryPolicy: policy },
        `Redis maxmemory-policy is ${policy}: set it to noeviction (redis-server --maxmemory-policy noeviction, or maxmemory-policy noeviction in redis.conf, or your provider's setting), or queue jobs may be evicted and lost`,
      );
    }
    return policy;
  }
}
