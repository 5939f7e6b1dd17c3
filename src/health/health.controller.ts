import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import Redis from 'ioredis';
import { Public } from '../auth/auth.decorators';
import { AppConfig } from '../config/app-config';
import { missingProviders } from '../notifications/channels';
import { REDIS } from '../redis/redis.module';
import { within } from '../redis/within';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: '200 quand PostgreSQL et Redis répondent, 503 sinon ; `messages` nomme les fournisseurs SMS / e-mail manquants (sans effet sur le statut)' })
  check() {
    return this.health.check([
      () => this.db.pingCheck('postgres', { timeout: 1500 }),
      async () => {
        const redis = this.indicators.check('redis');
        try {
          const pong = await within(this.redis.ping(), 1500);
          return pong === 'PONG' ? redis.up() : redis.down({ message: 'réponse inattendue' });
        } catch (e) {
          return redis.down({ message: (e as Error).message });
        }
      },
      // Informative: a replica without providers still serves; the operator reads what is missing.
      async () => {
        const missing = missingProviders(this.config);
        return this.indicators.check('messages').up(missing.length ? { delivered: false, missing } : { delivered: true });
      },
    ]);
  }
}
