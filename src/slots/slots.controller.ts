import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { UuidParam } from '../validation/decorators';
import { AvailabilityQuery, CreateSlotTemplateDto, ListSlotsQuery, ListSlotTemplatesQuery, PublishSlotsDto, SearchSlotsQuery } from './dto/slots.dto';
import { SlotsService } from './slots.service';
import { ApiErrors, forbiddenExcept } from '../errors/error-response';
import {
  AvailabilityResponse, HOLD_EXAMPLE, HoldResponse, SEARCH_EXAMPLES, SlotListResponse, SlotSearchResponse, SlotTemplateCreatedResponse, SlotTemplateListResponse,
} from './dto/slots.responses';

/** Where a search is centred: the place errors GET /slots/search and GET /availability share. */
const PLACE_NOT_FOUND = { status: 404 as const, description: '`not_found` : code postal inconnu (`postcode`)' };
const PLACE_UNPROCESSABLE = {
  status: 422 as const,
  description: '`commune_unknown` : commune absente du code officiel géographique ; `commune_location_unknown` : ni son centre ni le géocodeur national ne la situent (choisir une commune voisine)',
};
/** A practitioner's agenda: who may manage it (coordination of its CPTS, the GP, their practice's secretaries). */
const AGENDA_FORBIDDEN = 'un médecin ne gère que son agenda, un secrétariat ceux de son cabinet ; compte de coordination sans CPTS';

@ApiTags('slots')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
export class SlotsController {
  constructor(private readonly slots: SlotsService) {}

  @Roles('gp', 'secretary', 'coordinator', 'admin')
  @Post('slots')
  @ApiOperation({ summary: 'Publier un ou plusieurs créneaux SNP (409 slot_overlap si chevauchement, 422 si passé)' })
  @ApiCreatedResponse({ type: SlotListResponse, description: 'Les créneaux publiés, par début croissant (tous ou aucun)' })
  @ApiErrors(
    { status: 400, description: '`validation_failed` : corps invalide, fin avant le début, créneau de plus de 240 minutes' },
    401,
    forbiddenExcept(['gp', 'secretary', 'coordinator', 'admin'], AGENDA_FORBIDDEN),
    { status: 404, description: '`not_found` : praticien inconnu (ou d’une autre CPTS, pour la coordination)' },
    { status: 409, description: '`slot_overlap` : un créneau chevauche un créneau déjà publié de ce praticien, ou un autre de l’envoi' },
    { status: 422, description: '`slot_in_past` : commence dans le passé ; `slot_too_far` : à plus de 3 mois ; `modality_not_offered` : modalité que le praticien ne propose pas' },
  )
  async publish(@CurrentPrincipal() p: Principal, @Body() dto: PublishSlotsDto) {
    return { slots: await this.slots.publish(p, dto) };
  }

  @Get('slots')
  @ApiOperation({ summary: 'Lister les créneaux' })
  @ApiOkResponse({ type: SlotListResponse, description: 'Les créneaux que vous pouvez voir (leurs publics), plus tous ceux des agendas que vous gérez' })
  @ApiErrors(400, 401)
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListSlotsQuery) {
    return { slots: await this.slots.list(p, q) };
  }

  @Roles('regulator', 'coordinator', 'admin')
  @Get('availability')
  @ApiOperation({ summary: 'Disponibilités autour d’un lieu : créneaux libres par tranche horaire (heure de Paris) et par commune' })
  @ApiOkResponse({ type: AvailabilityResponse })
  @ApiErrors(
    { status: 400, description: '`validation_failed` : paramètre invalide, lieu manquant (lat+lon, communeCode ou postcode), lat sans lon, `to` avant `from` ou plus de 7 jours après' },
    401,
    forbiddenExcept(['regulator', 'coordinator', 'admin']),
    PLACE_NOT_FOUND,
    PLACE_UNPROCESSABLE,
  )
  availability(@CurrentPrincipal() p: Principal, @Query() q: AvailabilityQuery) {
    return this.slots.availability(p, q);
  }

  @Roles('secretary', 'regulator', 'coordinator', 'admin')
  @Get('slots/search')
  @ApiOperation({ summary: 'Créneaux libres les plus proches (règle de classement : README)' })
  @ApiOkResponse({ type: SlotSearchResponse, description: 'Les créneaux réservables (libres, ou retenue expirée) que vous pouvez voir, les meilleurs d’abord', examples: SEARCH_EXAMPLES })
  @ApiErrors(
    { status: 400, description: '`validation_failed` : paramètre invalide, lieu manquant (lat+lon, communeCode ou postcode, sauf avec practitionerId), lat sans lon, `to` avant `from` ou plus de 8 jours après' },
    401,
    forbiddenExcept(['secretary', 'regulator', 'coordinator', 'admin']),
    PLACE_NOT_FOUND,
    PLACE_UNPROCESSABLE,
  )
  async search(@CurrentPrincipal() p: Principal, @Query() q: SearchSlotsQuery) {
    return { results: await this.slots.search(p, q) };
  }

  @Roles('gp', 'secretary', 'coordinator', 'admin')
  @Delete('slots/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Retirer un créneau libre (409 s’il est réservé)' })
  @ApiNoContentResponse({ description: 'Retiré (déjà retiré : de même)' })
  @ApiErrors(
    400,
    401,
    forbiddenExcept(['gp', 'secretary', 'coordinator', 'admin'], AGENDA_FORBIDDEN),
    { status: 404, description: '`not_found` : créneau inconnu (ou d’une autre CPTS, pour la coordination)' },
    { status: 409, description: '`slot_booked` : réservé, annuler d’abord le rendez-vous ; `slot_held` : retenu en ce moment' },
  )
  async withdraw(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    await this.slots.withdraw(p, id);
  }

  @Roles('secretary', 'regulator', 'coordinator', 'admin')
  @Post('slots/:id/hold')
  @ApiOperation({ summary: 'Retenir un créneau quelques minutes pendant l’appel (au plus MAX_LIVE_HOLDS à la fois par compte : 429 too_many_holds)' })
  @ApiCreatedResponse({ type: HoldResponse, description: 'Retenu à votre nom jusqu’à `expiresAt` : réservez-le avec `holdToken`', example: HOLD_EXAMPLE })
  @ApiErrors(
    400,
    401,
    forbiddenExcept(['secretary', 'regulator', 'coordinator', 'admin']),
    { status: 404, description: '`not_found` : créneau inconnu, ou réservé à un public dont vous n’êtes pas' },
    {
      status: 409,
      description: '`slot_unavailable` : déjà réservé, retenu par quelqu’un d’autre ou retiré (sans `alternatives` ici : relancer la recherche)',
      examples: { taken: { summary: 'Pris ou retenu entre-temps', value: { statusCode: 409, error: 'slot_unavailable', message: 'Ce créneau vient d’être pris ou retenu par quelqu’un d’autre' } } },
    },
    { status: 422, description: '`slot_in_past` : le créneau a déjà commencé' },
    {
      status: 429,
      description: '`too_many_holds` : vous retenez déjà MAX_LIVE_HOLDS créneaux (3 par défaut) : réservez-en un ou laissez expirer une retenue',
      examples: {
        tooManyHolds: {
          summary: 'Trop de retenues en cours',
          value: { statusCode: 429, error: 'too_many_holds', message: 'Vous retenez déjà 3 créneaux : réservez ou laissez expirer l’un d’eux avant d’en retenir un autre' },
        },
      },
    },
  )
  hold(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    return this.slots.hold(p, id);
  }

  @Roles('gp', 'secretary', 'coordinator', 'admin')
  @Post('slot-templates')
  @ApiOperation({ summary: 'Modèle hebdomadaire : les créneaux des 7 prochains jours apparaissent aussitôt, puis chaque nuit' })
  @ApiCreatedResponse({ type: SlotTemplateCreatedResponse })
  @ApiErrors(
    { status: 400, description: '`validation_failed` : corps invalide, `endTime` avant `startTime`, `validUntil` avant `validFrom`' },
    401,
    forbiddenExcept(['gp', 'secretary', 'coordinator', 'admin'], AGENDA_FORBIDDEN),
    { status: 404, description: '`not_found` : praticien inconnu (ou d’une autre CPTS, pour la coordination)' },
    { status: 422, description: '`modality_not_offered` : modalité que le praticien ne propose pas ; `template_in_past` : le modèle se termine avant aujourd’hui' },
  )
  createTemplate(@CurrentPrincipal() p: Principal, @Body() dto: CreateSlotTemplateDto) {
    return this.slots.createTemplate(p, dto);
  }

  @Roles('gp', 'secretary', 'coordinator', 'admin')
  @Get('slot-templates')
  @ApiOperation({ summary: 'Modèles hebdomadaires en cours (médecin : les siens ; secrétariat : ceux du cabinet ; coordination : tous)' })
  @ApiOkResponse({ type: SlotTemplateListResponse })
  @ApiErrors(
    400,
    401,
    forbiddenExcept(['gp', 'secretary', 'coordinator', 'admin'], `${AGENDA_FORBIDDEN} ; compte sans praticien ni cabinet`),
    { status: 404, description: '`not_found` : `practitionerId` inconnu (ou d’une autre CPTS, pour la coordination)' },
  )
  async listTemplates(@CurrentPrincipal() p: Principal, @Query() q: ListSlotTemplatesQuery) {
    return { templates: await this.slots.listTemplates(p, q) };
  }

  @Roles('gp', 'secretary', 'coordinator', 'admin')
  @Delete('slot-templates/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Arrêter un modèle : plus de nouveaux créneaux, ses créneaux libres à venir sont retirés (les réservés restent)' })
  @ApiNoContentResponse({ description: 'Arrêté (déjà arrêté : de même)' })
  @ApiErrors(
    400,
    401,
    forbiddenExcept(['gp', 'secretary', 'coordinator', 'admin'], AGENDA_FORBIDDEN),
    { status: 404, description: '`not_found` : modèle inconnu (ou d’une autre CPTS, pour la coordination)' },
  )
  async endTemplate(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    await this.slots.endTemplate(p, id);
  }
}
