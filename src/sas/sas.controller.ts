import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { UuidParam } from '../validation/decorators';
import { ListSasAppointmentsQuery } from './dto/sas.dto';
import { SasFeedService } from './sas-feed.service';

@ApiTags('sas')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Roles('admin')
@Controller('sas-appointments')
export class SasController {
  constructor(private readonly feed: SasFeedService) {}

  @Get()
  @ApiOperation({ summary: 'Rendez-vous transmis à la plateforme SAS (ou à transmettre) : chaque changement, son état (queued, sent, failed) et, en échec, pourquoi' })
  list(@Query() q: ListSasAppointmentsQuery) {
    return this.feed.list(q);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Renvoyer au SAS un changement en échec (409 s’il n’est pas en échec)' })
  retry(@UuidParam() id: string) {
    return this.feed.retry(id);
  }
}
