import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { UuidParam } from '../validation/decorators';
import { ListSasAppointmentsQuery } from './dto/sas.dto';
import { SasFeedService } from './sas-feed.service';
import { ApiErrors, forbiddenExcept } from '../errors/error-response';
import { SasAppointmentListResponse, SasRetryResponse } from './dto/sas.responses';

@ApiTags('sas')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Roles('admin')
@Controller('sas-appointments')
export class SasController {
  constructor(private readonly feed: SasFeedService) {}

  @Get()
  @ApiOperation({ summary: 'Rendez-vous transmis à la plateforme SAS (ou à transmettre) : chaque changement, son état (queued, sent, failed) et, en échec, pourquoi' })
  @ApiOkResponse({ type: SasAppointmentListResponse })
  @ApiErrors(400, 401, forbiddenExcept(['admin']))
  list(@Query() q: ListSasAppointmentsQuery) {
    return this.feed.list(q);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Renvoyer au SAS un changement en échec (409 s’il n’est pas en échec)' })
  @ApiOkResponse({ type: SasRetryResponse, description: 'Remis en file d’envoi (ses essais repartent de zéro)' })
  @ApiErrors(
    400,
    401,
    forbiddenExcept(['admin']),
    { status: 404, description: '`not_found` : changement inconnu' },
    { status: 409, description: '`not_failed` : déjà transmis, ou déjà en file d’envoi' },
  )
  retry(@UuidParam() id: string) {
    return this.feed.retry(id);
  }
}
