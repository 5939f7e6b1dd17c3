import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { IdempotencyKey, UuidParam } from '../validation/decorators';
import { CreateRequestDto, ListRequestsQuery } from './dto/requests.dto';
import { RequestsService } from './requests.service';
import { PATIENT_MODELS } from '../bookings/dto/bookings.responses';
import { ApiErrors, forbiddenExcept } from '../errors/error-response';
import { MATCHED_REQUEST_EXAMPLE, PENDING_REQUEST_EXAMPLE, RequestListResponse, RequestResponse, UNMATCHED_REQUEST_EXAMPLE } from './dto/requests.responses';

const FILERS = ['secretary', 'regulator', 'coordinator', 'admin'];

@ApiTags('requests')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiExtraModels(...PATIENT_MODELS)
@Controller('requests')
export class RequestsController {
  constructor(private readonly requests: RequestsService) {}

  @Roles('secretary', 'regulator', 'coordinator', 'admin')
  @Post()
  @HttpCode(202)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'même clé + même corps → même demande' })
  @ApiOperation({ summary: 'Déposer une demande SNP : le moteur réserve le meilleur créneau dans la fenêtre (24 h par défaut)' })
  @ApiAcceptedResponse({
    type: RequestResponse,
    description: 'Demande enregistrée (`pending`) : suivez-la avec GET /requests/:id. Avec la même Idempotency-Key et le même corps : la demande de la première fois, telle qu’elle est maintenant',
    examples: { pending: { summary: 'Demande enregistrée', value: PENDING_REQUEST_EXAMPLE } },
  })
  @ApiErrors(
    {
      status: 400,
      description:
        '`validation_failed` : corps invalide (`details`), `location` sans communeCode ni lat+lon (ou lat sans lon), `notAfter` avant `notBefore`, date de naissance future ou de plus de 130 ans, `referringGpRpps` avec `hasReferringGp: false`, Idempotency-Key hors de 1 à 200 caractères',
      examples: {
        validation: {
          summary: 'Téléphone invalide',
          value: {
            statusCode: 400,
            error: 'validation_failed',
            message: 'Données invalides : phone doit être un numéro de téléphone valide (ex. 06 12 34 56 78 ou +33612345678)',
            details: [{ field: 'patient.phone', messages: ['phone doit être un numéro de téléphone valide (ex. 06 12 34 56 78 ou +33612345678)'] }],
          },
        },
      },
    },
    401,
    forbiddenExcept(FILERS),
    {
      status: 422,
      description:
        '`window_closed` : `notAfter` est passé ; `window_too_long` : `notAfter` à plus de 24 h (hors coordination) ; `commune_unknown`, `commune_location_unknown` : commune inconnue ou impossible à situer ; `idempotency_key_reused` : cette Idempotency-Key a servi pour un autre corps',
      examples: {
        windowTooLong: {
          summary: 'Fenêtre de plus de 24 h',
          value: { statusCode: 422, error: 'window_too_long', message: 'Une demande SNP se traite dans les 24 heures : notAfter au plus 24 h après maintenant (la coordination peut aller au-delà)' },
        },
      },
    },
  )
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateRequestDto, @IdempotencyKey() key?: string) {
    return this.requests.create(p, dto, key);
  }

  @Roles('secretary', 'regulator', 'coordinator', 'admin')
  @Get()
  @ApiOperation({ summary: 'Demandes déposées par mon cabinet ou service (coordination : toutes) ; ?status=unmatched pour celles à réorienter' })
  @ApiOkResponse({ type: RequestListResponse })
  @ApiErrors(400, 401, forbiddenExcept(FILERS))
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListRequestsQuery) {
    // Wrapped like every list: room for what a list may later carry beside its rows.
    return { requests: await this.requests.list(p, q) };
  }

  @Roles('secretary', 'regulator', 'coordinator', 'admin')
  @Get(':id')
  @ApiOperation({ summary: 'Une demande, avec son rendez-vous une fois appariée' })
  @ApiOkResponse({
    type: RequestResponse,
    examples: {
      pending: { summary: 'Le moteur cherche encore', value: PENDING_REQUEST_EXAMPLE },
      matched: { summary: 'Appariée : le rendez-vous pris', value: MATCHED_REQUEST_EXAMPLE },
      unmatched: { summary: 'Rien trouvé avant l’échéance : orienter le patient ailleurs', value: UNMATCHED_REQUEST_EXAMPLE },
    },
  })
  @ApiErrors(400, 401, forbiddenExcept(FILERS), { status: 404, description: '`not_found` : demande inconnue, ou hors de votre périmètre' })
  get(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    return this.requests.get(p, id);
  }

  @Roles('secretary', 'regulator', 'coordinator', 'admin')
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Annuler une demande (et son rendez-vous si elle était appariée)' })
  @ApiOkResponse({ type: RequestResponse, description: 'La demande annulée (annuler deux fois répond de même)' })
  @ApiErrors(
    400,
    401,
    forbiddenExcept(FILERS, 'demande de la régulation appariée dans une autre CPTS : seule la régulation l’annule'),
    { status: 404, description: '`not_found` : demande inconnue, ou hors de votre périmètre' },
    { status: 409, description: '`booking_closed` : son rendez-vous a déjà eu lieu (honoré ou non honoré) ; la demande, elle, est alors déjà annulée' },
  )
  cancel(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    return this.requests.cancel(p, id);
  }
}
