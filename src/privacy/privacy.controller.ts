import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { AuditTrailService } from './audit-trail.service';
import { AuditEventsQuery, PatientIdentityDto } from './dto/privacy.dto';
import { PatientsService } from './patients.service';
import { PATIENT_MODELS } from '../bookings/dto/bookings.responses';
import { ApiErrors, forbiddenExcept } from '../errors/error-response';
import { AuditChainVerdictResponse, AuditEventListResponse, ErasureResponse, PatientRecordResponse } from './dto/privacy.responses';

@ApiTags('privacy')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiExtraModels(...PATIENT_MODELS)
@Controller()
export class PrivacyController {
  constructor(
    private readonly auditTrail: AuditTrailService,
    private readonly patients: PatientsService,
  ) {}

  @Roles('admin')
  @Get('audit-events')
  @ApiOperation({ summary: 'Journal d’audit : qui a lu ou modifié quoi, quand, d’où (jamais les données du patient) ; CSV avec Accept: text/csv' })
  @ApiExtraModels(AuditEventListResponse)
  @ApiOkResponse({
    description:
      'Les événements, les plus récents d’abord ; en CSV (`?format=csv`, ou `Accept: text/csv` sans `?format=json`) : id;at;actorUserId;actorApiKeyId;actorRole;action;entity;entityId;entityIds;ip, UTF-8 avec BOM, `;`, CRLF, en pièce jointe `journal-audit.csv`',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AuditEventListResponse) } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  @ApiErrors(400, 401, forbiddenExcept(['admin']))
  async auditEvents(@Query() q: AuditEventsQuery, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const events = await this.auditTrail.list(q);
    if (q.format === 'csv' || (q.format !== 'json' && !!accept && /text\/csv/i.test(accept))) {
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="journal-audit.csv"');
      return this.auditTrail.csv(events);
    }
    return { events };
  }

  @Roles('admin')
  @Get('audit-events/verify')
  @ApiOperation({ summary: 'Vérifie la chaîne de hachage du journal : {ok, checked, firstBrokenId?} — une ligne modifiée ou supprimée en base la rompt' })
  @ApiOkResponse({ type: AuditChainVerdictResponse })
  @ApiErrors(401, forbiddenExcept(['admin']))
  verifyAuditEvents() {
    return this.auditTrail.verify();
  }

  @Roles('coordinator', 'admin')
  @Post('patients/lookup')
  @HttpCode(200)
  @ApiOperation({ summary: 'Droit d’accès : tout ce que la CPTS garde sur un patient (téléphone et date de naissance) ; journalisé' })
  @ApiOkResponse({ type: PatientRecordResponse, description: 'Ses rendez-vous et demandes dans votre périmètre (listes vides si aucun)' })
  @ApiErrors(400, 401, forbiddenExcept(['coordinator', 'admin']))
  lookup(@CurrentPrincipal() p: Principal, @Body() dto: PatientIdentityDto) {
    return this.patients.lookup(p, dto.phone, dto.birthDate);
  }

  @Roles('coordinator', 'admin')
  @Post('patients/erase')
  @HttpCode(200)
  @ApiOperation({ summary: 'Droit à l’effacement : l’identité du patient est anonymisée maintenant (RDV, demandes, messages) ; les indicateurs ne changent pas ; journalisé' })
  @ApiOkResponse({ type: ErasureResponse, description: 'Combien ont été anonymisés maintenant, dans votre périmètre (0 si aucun)' })
  @ApiErrors(400, 401, forbiddenExcept(['coordinator', 'admin']))
  erase(@CurrentPrincipal() p: Principal, @Body() dto: PatientIdentityDto) {
    return this.patients.erase(p, dto.phone, dto.birthDate);
  }
}
