import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Public, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { UuidParam } from '../validation/decorators';
import { CalendarService } from './calendar.service';
import { ApiErrors, forbiddenExcept } from '../errors/error-response';
import { CALENDAR_FEED_EXAMPLE, CalendarFeedLinkResponse } from './dto/calendar.responses';

const requestBase = (req: FastifyRequest) => `${req.protocol}://${req.headers.host ?? 'localhost'}`;

@ApiTags('calendar')
@Controller()
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @ApiBearerAuth()
  @ApiSecurity('api-key')
  @Roles('gp', 'secretary', 'admin')
  @Post('practitioners/:id/calendar-feed')
  @HttpCode(201)
  @ApiOperation({ summary: 'Lien secret de l’agenda SNP d’un médecin (iCalendar) pour son propre logiciel d’agenda ; le redemander remplace l’ancien' })
  @ApiCreatedResponse({ type: CalendarFeedLinkResponse })
  @ApiErrors(
    400,
    401,
    forbiddenExcept(['gp', 'secretary', 'admin'], 'un médecin ne crée que son propre lien'),
    { status: 404, description: '`not_found` : praticien inconnu (ou d’un autre cabinet, pour un secrétariat)' },
  )
  create(@CurrentPrincipal() p: Principal, @UuidParam() id: string, @Req() req: FastifyRequest) {
    return this.calendar.create(p, id, requestBase(req));
  }

  @Public()
  @Get('calendar-feeds/:file')
  @ApiOperation({ summary: 'L’agenda SNP d’un médecin (iCalendar), à son adresse secrète, sans autre identifiant : initiales et année de naissance seulement' })
  @ApiOkResponse({
    description: 'Ses rendez-vous SNP non annulés, de 7 jours avant à 14 jours après (text/calendar, RFC 5545)',
    content: { 'text/calendar': { schema: { type: 'string' }, example: CALENDAR_FEED_EXAMPLE } },
  })
  @ApiErrors({ status: 404, description: '`not_found` : adresse inconnue, ou remplacée par une plus récente' })
  async feed(@Param('file') file: string, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const body = await this.calendar.feed(file.replace(/\.ics$/, ''), requestBase(req));
    reply.header('content-type', 'text/calendar; charset=utf-8').header('content-disposition', 'inline; filename="snp.ics"');
    return body;
  }
}
