import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Roles('admin')
  @Get()
  @ApiProduces('text/plain', 'application/json')
  @ApiOperation({
    summary:
      "Métriques Prometheus du moteur d'appariement : file d'attente par état, demandes des dernières 24 h par statut, âge de la plus ancienne demande en attente, délai dépôt → réservation (dernière heure). JSON avec Accept: application/json",
  })
  async get(@Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const wantsJson = !!accept && /application\/json/i.test(accept) && !/text\/plain/i.test(accept);
    const { contentType, body } = await this.metrics.render(wantsJson);
    reply.header('content-type', contentType);
    return body;
  }
}
