import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { ListNotificationsQuery } from './dto/notifications.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Roles('coordinator', 'admin')
  @Get()
  @ApiOperation({ summary: 'Messages envoyés aux patients et aux cabinets (SMS, e-mail) de sa CPTS : ?status=failed pour ceux à reprendre' })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListNotificationsQuery) {
    return this.notifications.list(p, q);
  }
}
