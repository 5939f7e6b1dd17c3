import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
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
  @ApiOperation({ summary: 'Messages envoyés aux patients et aux cabinets (SMS, e-mail) : ?status=failed pour ceux à reprendre' })
  list(@Query() q: ListNotificationsQuery) {
    return this.notifications.list(q);
  }
}
