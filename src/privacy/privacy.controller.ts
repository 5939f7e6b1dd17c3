import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { AuditTrailService } from './audit-trail.service';
import { AuditEventsQuery, PatientIdentityDto } from './dto/privacy.dto';
import { PatientsService } from './patients.service';

@ApiTags('privacy')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
export class PrivacyController {
  constructor(
    private readonly auditTrail: AuditTrailService,
    private readonly patients: PatientsService,
  ) {}

  @Roles('admin')
  @Get('audit-events')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Journal d’audit : qui a lu ou modifié quoi, quand, d’où (jamais les données du patient) ; CSV avec Accept: text/csv' })
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
  verifyAuditEvents() {
    return this.auditTrail.verify();
  }

  @Roles('coordinator', 'admin')
  @Post('patients/lookup')
  @HttpCode(200)
  @ApiOperation({ summary: 'Droit d’accès : tout ce que la CPTS garde sur un patient (téléphone et date de naissance) ; journalisé' })
  lookup(@CurrentPrincipal() p: Principal, @Body() dto: PatientIdentityDto) {
    return this.patients.lookup(p, dto.phone, dto.birthDate);
  }

  @Roles('coordinator', 'admin')
  @Post('patients/erase')
  @HttpCode(200)
  @ApiOperation({ summary: 'Droit à l’effacement : l’identité du patient est anonymisée maintenant (RDV, demandes, messages) ; les indicateurs ne changent pas ; journalisé' })
  erase(@CurrentPrincipal() p: Principal, @Body() dto: PatientIdentityDto) {
    return this.patients.erase(p, dto.phone, dto.birthDate);
  }
}
