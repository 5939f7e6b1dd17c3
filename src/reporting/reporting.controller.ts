import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { UuidParam } from '../validation/decorators';
import { PeriodQuery, WeekQuery } from './dto/reporting.dto';
import { ReportingService } from './reporting.service';

@ApiTags('reporting')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
export class ReportingController {
  constructor(private readonly reporting: ReportingService) {}

  @Roles('coordinator', 'admin')
  @Get('indicators')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Indicateurs de la mission SNP (ACI) sur une période (jours de Paris, bornes incluses, 366 jours au plus) ; CSV avec Accept: text/csv ou ?format=csv' })
  async indicators(@CurrentPrincipal() p: Principal, @Query() q: PeriodQuery, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const figures = await this.reporting.indicators(p, q);
    if (q.format === 'csv' || (q.format !== 'json' && !!accept && /text\/csv/i.test(accept))) {
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="indicateurs-snp-${q.from}-${q.to}.csv"`);
      return this.reporting.csv(figures);
    }
    return figures;
  }

  @Roles('coordinator', 'admin')
  @Get('indicators/weekly')
  @ApiOperation({ summary: 'Les mêmes indicateurs par semaine ISO (heure de Paris) de la période, chaque semaine listée (0 si vide)' })
  weekly(@CurrentPrincipal() p: Principal, @Query() q: PeriodQuery) {
    return this.reporting.weekly(p, q);
  }

  @Roles('coordinator', 'admin')
  @Get('indicators/practitioners')
  @ApiOperation({ summary: 'Par médecin d’une CPTS : créneaux publiés et réservés, RDV honorés et non venus sur la période, majorations SNP payables cette semaine' })
  perPractitioner(@CurrentPrincipal() p: Principal, @Query() q: PeriodQuery) {
    return this.reporting.perPractitioner(p, q);
  }

  @Roles('gp', 'coordinator', 'admin')
  @Get('practitioners/:id/snp-add-ons')
  @ApiOperation({ summary: 'Compteur des majorations SNP d’un médecin pour une semaine ISO (NGAP art. 14.1.3 : 20 par semaine au plus)' })
  addOns(@CurrentPrincipal() p: Principal, @UuidParam() id: string, @Query() q: WeekQuery) {
    return this.reporting.addOns(p, id, q.week);
  }
}
