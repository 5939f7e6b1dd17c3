import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { ListNotificationsQuery } from './dto/notifications.dto';
import { NotificationsService } from './notifications.service';
import { ApiErrors, forbiddenExcept } from '../errors/error-response';
import { NotificationListResponse, NotificationRetryResponse } from './dto/notifications.responses';
import { UuidParam } from '../validation/decorators';

@ApiTags('notifications')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Roles('coordinator', 'admin')
  @Get()
  @ApiOperation({ summary: 'Messages envoyés aux patients et aux cabinets (SMS, e-mail) de sa CPTS : ?status=failed pour ceux à reprendre' })
  @ApiOkResponse({ type: NotificationListResponse, description: 'Les messages des rendez-vous et demandes de votre périmètre' })
  @ApiErrors(400, 401, forbiddenExcept(['coordinator', 'admin']))
  list(@CurrentPrincipal() p: Principal, @Query() q: ListNotificationsQuery) {
    return this.notifications.list(p, q);
  }

  @Roles('coordinator', 'admin')
  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Renvoyer un message en échec (file d’envoi, essais repartis de zéro) ; 409 s’il n’est pas en échec' })
  @ApiOkResponse({ type: NotificationRetryResponse, description: 'Le message est de nouveau en file d’envoi' })
  @ApiErrors(
    400,
    401,
    forbiddenExcept(['coordinator', 'admin']),
    { status: 404, description: '`not_found` : message inconnu, ou hors de votre périmètre' },
    { status: 409, description: '`not_failed` : le message n’est pas en échec (envoyé, déjà en file d’envoi, annulé…)' },
  )
  retry(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    return this.notifications.retry(p, id);
  }
}
