import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators';
import { MetricsService } from './metrics.service';
import { ApiErrors, forbiddenExcept } from '../errors/error-response';
import { MetricResponse } from './dto/metrics.responses';

@ApiTags('operations')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Roles('admin')
  @Get()
  @ApiOperation({
    summary:
      "Métriques Prometheus du moteur d'appariement : file d'attente par état, demandes des dernières 24 h par statut, âge de la plus ancienne demande en attente, délai dépôt → réservation (dernière heure). JSON avec Accept: application/json",
  })
  @ApiExtraModels(MetricResponse)
  @ApiOkResponse({
    description: 'Format texte de Prometheus (text/plain; version=0.0.4) ; JSON quand Accept demande application/json sans text/plain',
    content: {
      'text/plain': {
        schema: { type: 'string' },
        example: '# HELP snp_requests SNP requests filed in the last 24 hours, by current status\n# TYPE snp_requests gauge\nsnp_requests{status="pending"} 1\nsnp_requests{status="matched"} 12\n',
      },
      'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(MetricResponse) } } },
    },
  })
  @ApiErrors(401, forbiddenExcept(['admin']))
  async get(@Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const wantsJson = !!accept && /application\/json/i.test(accept) && !/text\/plain/i.test(accept);
    const { contentType, body } = await this.metrics.render(wantsJson);
    reply.header('content-type', contentType);
    return body;
  }
}
