import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Public, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { UuidParam } from '../validation/decorators';
import { CalendarService } from './calendar.service';

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
  create(@CurrentPrincipal() p: Principal, @UuidParam() id: string, @Req() req: FastifyRequest) {
    return this.calendar.create(p, id, requestBase(req));
  }

  @Public()
  @Get('calendar-feeds/:file')
  @ApiProduces('text/calendar')
  @ApiOperation({ summary: 'L’agenda SNP d’un médecin (iCalendar), à son adresse secrète, sans autre identifiant : initiales et année de naissance seulement' })
  async feed(@Param('file') file: string, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const body = await this.calendar.feed(file.replace(/\.ics$/, ''), requestBase(req));
    reply.header('content-type', 'text/calendar; charset=utf-8').header('content-disposition', 'inline; filename="snp.ics"');
    return body;
  }
}
