import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { IdempotencyKey, UuidParam } from '../validation/decorators';
import { CreateRequestDto, ListRequestsQuery } from './dto/requests.dto';
import { RequestsService } from './requests.service';

@ApiTags('requests')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('requests')
export class RequestsController {
  constructor(private readonly requests: RequestsService) {}

  @Roles('secretary', 'regulator', 'coordinator', 'admin')
  @Post()
  @HttpCode(202)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'même clé + même corps → même demande' })
  @ApiOperation({ summary: 'Déposer une demande SNP : le moteur réserve le meilleur créneau dans la fenêtre (24 h par défaut)' })
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateRequestDto, @IdempotencyKey() key?: string) {
    return this.requests.create(p, dto, key);
  }

  @Roles('secretary', 'regulator', 'coordinator', 'admin')
  @Get()
  @ApiOperation({ summary: 'Demandes déposées par mon cabinet ou service (coordination : toutes) ; ?status=unmatched pour celles à réorienter' })
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListRequestsQuery) {
    // Wrapped like every list: room for what a list may later carry beside its rows.
    return { requests: await this.requests.list(p, q) };
  }

  @Roles('secretary', 'regulator', 'coordinator', 'admin')
  @Get(':id')
  @ApiOperation({ summary: 'Une demande, avec son rendez-vous une fois appariée' })
  get(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    return this.requests.get(p, id);
  }

  @Roles('secretary', 'regulator', 'coordinator', 'admin')
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Annuler une demande (et son rendez-vous si elle était appariée)' })
  cancel(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    return this.requests.cancel(p, id);
  }
}
