import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import Redis from 'ioredis';
import { Public } from '../auth/auth.decorators';
import { AppConfig } from '../config/app-config';
import { missingProviders } from '../notifications/channels';
import { REDIS } from '../redis/redis.module';
import { within } from '../redis/within';
import { ApiErrors } from '../errors/error-response';
import { HealthResponse } from './dto/health.responses';

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
  // Documented here rather than by terminus, whose 503 is not what ErrorFilter answers.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: '200 quand PostgreSQL et Redis répondent, 503 sinon ; `messages` nomme les fournisseurs SMS / e-mail manquants (sans effet sur le statut)' })
  @ApiOkResponse({ type: HealthResponse, description: 'PostgreSQL et Redis répondent : ce réplica peut servir' })
  @ApiErrors({
    status: 503,
    description: '`service_unavailable` : PostgreSQL ou Redis ne répond pas ; `details` donne l’état de chaque vérification',
    examples: {
      redisDown: {
        summary: 'Redis ne répond pas',
        value: {
          statusCode: 503,
          error: 'service_unavailable',
          message: 'Service momentanément indisponible (base de données ou Redis injoignable)',
          details: { postgres: { status: 'up' }, redis: { status: 'down', message: 'connect ECONNREFUSED 127.0.0.1:6379' }, messages: { status: 'up', delivered: true } },
        },
      },
    },
  })
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
