import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { UuidParam } from '../validation/decorators';
import { PeriodQuery, WeekQuery } from './dto/reporting.dto';
import { ReportingService } from './reporting.service';
import { ApiErrors, ErrorDoc, forbiddenExcept } from '../errors/error-response';
import {
  AddOnCounterResponse, INDICATORS_CSV_EXAMPLE, INDICATORS_EXAMPLE, IndicatorsResponse, PractitionersIndicatorsResponse, WeeklyIndicatorsResponse,
} from './dto/reporting.responses';

const PERIOD_INVALID: ErrorDoc = {
  status: 400,
  description: '`validation_failed` : `from` ou `to` absent ou impossible (2026-02-30), `to` avant `from`, plus de 366 jours entre les deux, `communityId` ou `format` invalide',
};
const OTHER_CPTS = 'la coordination ne voit que les chiffres de sa CPTS (`communityId` d’une autre)';
const UNKNOWN_CPTS: ErrorDoc = { status: 404, description: '`not_found` : `communityId` ne correspond à aucune CPTS (administrateurs)' };

@ApiTags('reporting')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
export class ReportingController {
  constructor(private readonly reporting: ReportingService) {}

  @Roles('coordinator', 'admin')
  @Get('indicators')
  @ApiOperation({ summary: 'Indicateurs de la mission SNP (ACI) sur une période (jours de Paris, bornes incluses, 366 jours au plus) ; CSV avec Accept: text/csv ou ?format=csv' })
  @ApiExtraModels(IndicatorsResponse)
  @ApiOkResponse({
    description: 'Les compteurs de la période ; en CSV (`?format=csv`, ou `Accept: text/csv` sans `?format=json`) : `indicateur;libelle;valeur`, une ligne par compteur, UTF-8 avec BOM, `;`, CRLF, virgule décimale, en pièce jointe `indicateurs-snp-<from>-<to>.csv`',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(IndicatorsResponse) }, examples: { month: { summary: 'Un mois d’une CPTS', value: INDICATORS_EXAMPLE } } },
      'text/csv': { schema: { type: 'string' }, examples: { month: { summary: 'Le même mois, en CSV', value: INDICATORS_CSV_EXAMPLE } } },
    },
  })
  @ApiErrors(PERIOD_INVALID, 401, forbiddenExcept(['coordinator', 'admin'], OTHER_CPTS), UNKNOWN_CPTS)
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
  @ApiOkResponse({ type: WeeklyIndicatorsResponse, description: 'Toujours en JSON (`format` est accepté mais sans effet ici)' })
  @ApiErrors(PERIOD_INVALID, 401, forbiddenExcept(['coordinator', 'admin'], OTHER_CPTS), UNKNOWN_CPTS)
  weekly(@CurrentPrincipal() p: Principal, @Query() q: PeriodQuery) {
    return this.reporting.weekly(p, q);
  }

  @Roles('coordinator', 'admin')
  @Get('indicators/practitioners')
  @ApiOperation({ summary: 'Par médecin d’une CPTS : créneaux publiés et réservés, RDV honorés et non venus sur la période, majorations SNP payables cette semaine' })
  @ApiOkResponse({ type: PractitionersIndicatorsResponse, description: 'Toujours en JSON (`format` est accepté mais sans effet ici)' })
  @ApiErrors(
    { ...PERIOD_INVALID, description: `${PERIOD_INVALID.description} ; \`communityId\` manquant (administrateurs : le tableau est celui d’une CPTS)` },
    401,
    forbiddenExcept(['coordinator', 'admin'], OTHER_CPTS),
    UNKNOWN_CPTS,
  )
  perPractitioner(@CurrentPrincipal() p: Principal, @Query() q: PeriodQuery) {
    return this.reporting.perPractitioner(p, q);
  }

  @Roles('gp', 'coordinator', 'admin')
  @Get('practitioners/:id/snp-add-ons')
  @ApiOperation({ summary: 'Compteur des majorations SNP d’un médecin pour une semaine ISO (NGAP art. 14.1.3 : 20 par semaine au plus)' })
  @ApiOkResponse({ type: AddOnCounterResponse })
  @ApiErrors(
    { status: 400, description: '`validation_failed` : `id` n’est pas un uuid, `week` n’est pas de la forme 2026-W48 ou n’existe pas (2026-W54)' },
    401,
    forbiddenExcept(['gp', 'coordinator', 'admin'], 'un médecin ne voit que son propre compteur'),
    { status: 404, description: '`not_found` : praticien inconnu (ou d’une autre CPTS, pour la coordination)' },
  )
  addOns(@CurrentPrincipal() p: Principal, @UuidParam() id: string, @Query() q: WeekQuery) {
    return this.reporting.addOns(p, id, q.week);
  }
}
