import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { UuidParam } from '../validation/decorators';
import { AvailabilityQuery, CreateSlotTemplateDto, ListSlotsQuery, ListSlotTemplatesQuery, PublishSlotsDto, SearchSlotsQuery } from './dto/slots.dto';
import { SlotsService } from './slots.service';

@ApiTags('slots')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
export class SlotsController {
  constructor(private readonly slots: SlotsService) {}

  @Roles('gp', 'secretary', 'coordinator', 'admin')
  @Post('slots')
  @ApiOperation({ summary: 'Publier un ou plusieurs créneaux SNP (409 slot_overlap si chevauchement, 422 si passé)' })
  async publish(@CurrentPrincipal() p: Principal, @Body() dto: PublishSlotsDto) {
    return { slots: await this.slots.publish(p, dto) };
  }

  @Get('slots')
  @ApiOperation({ summary: 'Lister les créneaux' })
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListSlotsQuery) {
    return { slots: await this.slots.list(p, q) };
  }

  @Roles('regulator', 'coordinator', 'admin')
  @Get('availability')
  @ApiOperation({ summary: 'Disponibilités autour d’un lieu : créneaux libres par tranche horaire (heure de Paris) et par commune' })
  availability(@CurrentPrincipal() p: Principal, @Query() q: AvailabilityQuery) {
    return this.slots.availability(p, q);
  }

  @Roles('secretary', 'regulator', 'coordinator', 'admin')
  @Get('slots/search')
  @ApiOperation({ summary: 'Créneaux libres les plus proches (règle de classement : README)' })
  async search(@CurrentPrincipal() p: Principal, @Query() q: SearchSlotsQuery) {
    return { results: await this.slots.search(p, q) };
  }

  @Roles('gp', 'secretary', 'coordinator', 'admin')
  @Delete('slots/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Retirer un créneau libre (409 s’il est réservé)' })
  async withdraw(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    await this.slots.withdraw(p, id);
  }

  @Roles('secretary', 'regulator', 'coordinator', 'admin')
  @Post('slots/:id/hold')
  @ApiOperation({ summary: 'Retenir un créneau quelques minutes pendant l’appel (au plus MAX_LIVE_HOLDS à la fois par compte : 429 too_many_holds)' })
  hold(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    return this.slots.hold(p, id);
  }

  @Roles('gp', 'secretary', 'coordinator', 'admin')
  @Post('slot-templates')
  @ApiOperation({ summary: 'Modèle hebdomadaire : les créneaux des 7 prochains jours apparaissent aussitôt, puis chaque nuit' })
  createTemplate(@CurrentPrincipal() p: Principal, @Body() dto: CreateSlotTemplateDto) {
    return this.slots.createTemplate(p, dto);
  }

  @Roles('gp', 'secretary', 'coordinator', 'admin')
  @Get('slot-templates')
  @ApiOperation({ summary: 'Modèles hebdomadaires en cours (médecin : les siens ; secrétariat : ceux du cabinet ; coordination : tous)' })
  async listTemplates(@CurrentPrincipal() p: Principal, @Query() q: ListSlotTemplatesQuery) {
    return { templates: await this.slots.listTemplates(p, q) };
  }

  @Roles('gp', 'secretary', 'coordinator', 'admin')
  @Delete('slot-templates/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Arrêter un modèle : plus de nouveaux créneaux, ses créneaux libres à venir sont retirés (les réservés restent)' })
  async endTemplate(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    await this.slots.endTemplate(p, id);
  }
}
