import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { IdempotencyKey, UuidParam } from '../validation/decorators';
import { BookingsService, REPEATED } from './bookings.service';
import { CancelBookingDto, CreateBookingDto, ListBookingsQuery, OutcomeDto } from './dto/bookings.dto';
import { ApiErrors, forbiddenExcept } from '../errors/error-response';
import { SEARCH_RESULT_EXAMPLE, SECOND_SEARCH_RESULT_EXAMPLE } from '../slots/dto/slots.responses';
import {
  BOOKING_EXAMPLE, BookingCancelledResponse, BookingListResponse, BookingOutcomeResponse, BookingResponse, NEW_BOOKING_EXAMPLES, NewBookingResponse, PATIENT_MODELS,
} from './dto/bookings.responses';

@ApiTags('bookings')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiExtraModels(...PATIENT_MODELS)
@Controller('bookings')
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Roles('secretary', 'regulator', 'coordinator', 'admin')
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'même clé + même corps → même réponse' })
  @ApiOperation({ summary: 'Réserver un créneau pour un patient (409 slot_unavailable + alternatives si déjà pris)' })
  @ApiCreatedResponse({
    type: NewBookingResponse,
    description: 'Rendez-vous pris (ou, avec la même Idempotency-Key et le même corps, le rendez-vous de la première fois, tel qu’il est maintenant et sans `warnings`)',
    examples: NEW_BOOKING_EXAMPLES,
  })
  @ApiOkResponse({
    type: BookingResponse,
    description: 'Le même rendez-vous envoyé de nouveau sans Idempotency-Key (même compte, même créneau, même patient, moins de 10 minutes après) : le premier rendez-vous, sans en prendre un second',
    example: BOOKING_EXAMPLE,
  })
  @ApiErrors(
    { status: 400, description: '`validation_failed` : corps invalide (`details`), date de naissance future ou de plus de 130 ans, `referringGpRpps` avec `hasReferringGp: false`, Idempotency-Key hors de 1 à 200 caractères' },
    401,
    forbiddenExcept(['secretary', 'regulator', 'coordinator', 'admin'], '`origin: "sas"` est réservé à la régulation (regulator)'),
    { status: 404, description: '`not_found` : créneau inconnu, ou réservé à un public dont vous n’êtes pas (audiences)' },
    {
      status: 409,
      description: '`slot_unavailable` : le créneau vient d’être pris, retenu par un autre, retiré ; `alternatives` propose les 5 meilleurs créneaux libres autour du même cabinet (même modalité, 24 h, 30 km)',
      examples: {
        slotUnavailable: {
          summary: 'Déjà pris : voici les suivants',
          value: { statusCode: 409, error: 'slot_unavailable', message: 'Ce créneau n’est plus disponible : voici les suivants', alternatives: [SEARCH_RESULT_EXAMPLE, SECOND_SEARCH_RESULT_EXAMPLE] },
        },
      },
    },
    {
      status: 422,
      description: '`slot_in_past` : le créneau a commencé ; `patient_too_young` : le praticien ne reçoit pas les patients de cet âge ; `idempotency_key_reused` : cette Idempotency-Key a servi pour un autre corps',
      examples: {
        patientTooYoung: {
          summary: 'Patient trop jeune pour ce praticien',
          value: { statusCode: 422, error: 'patient_too_young', message: 'Ce praticien reçoit les patients à partir de 6 ans : choisissez un autre créneau' },
        },
        idempotencyKeyReused: {
          summary: 'Idempotency-Key déjà utilisée pour un autre corps',
          value: { statusCode: 422, error: 'idempotency_key_reused', message: 'Cette clé Idempotency-Key a déjà servi pour une autre réservation : utilisez une nouvelle clé' },
        },
      },
    },
  )
  async book(@CurrentPrincipal() p: Principal, @Body() dto: CreateBookingDto, @Res({ passthrough: true }) reply: FastifyReply, @IdempotencyKey() key?: string) {
    const booking = await this.bookings.book(p, dto, key);
    // A retry without key of a booking already made: that booking, 200.
    if ((booking as Record<symbol, unknown>)[REPEATED]) reply.status(200);
    return booking;
  }

  @Get()
  @ApiOperation({ summary: 'Rendez-vous pris ou reçus par mon cabinet (coordination : tous)' })
  @ApiOkResponse({ type: BookingListResponse, description: 'Les rendez-vous de votre périmètre dont le créneau commence dans la fenêtre (défaut : du début de la journée, heure de Paris, à 2 jours plus tard)' })
  @ApiErrors(400, 401)
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListBookingsQuery) {
    return { bookings: await this.bookings.list(p, q) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Un rendez-vous' })
  @ApiOkResponse({ type: BookingResponse, example: BOOKING_EXAMPLE })
  @ApiErrors(400, 401, 404)
  get(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    return this.bookings.get(p, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Annuler : le créneau redevient libre s’il est encore à venir' })
  @ApiOkResponse({ type: BookingCancelledResponse, description: 'Annulé (annuler deux fois répond de même)' })
  @ApiErrors(400, 401, 404, { status: 409, description: '`booking_closed` : le rendez-vous a déjà eu lieu (honoré ou non honoré)' })
  cancel(@CurrentPrincipal() p: Principal, @UuidParam() id: string, @Body() dto: CancelBookingDto) {
    return this.bookings.cancel(p, id, dto?.reason);
  }

  @Roles('gp', 'secretary')
  @Post(':id/outcome')
  @HttpCode(200)
  @ApiOperation({ summary: 'Patient venu ou non (cabinet qui reçoit)' })
  @ApiOkResponse({ type: BookingOutcomeResponse })
  @ApiErrors(
    400,
    401,
    forbiddenExcept(['gp', 'secretary']),
    { status: 404, description: '`not_found` : rendez-vous inconnu, ou pas sur un créneau de votre agenda (médecin) ou de votre cabinet (secrétariat)' },
    { status: 409, description: '`booking_cancelled` : le rendez-vous a été annulé' },
    { status: 422, description: '`outcome_too_early` : le créneau n’a pas encore commencé' },
  )
  outcome(@CurrentPrincipal() p: Principal, @UuidParam() id: string, @Body() dto: OutcomeDto) {
    return this.bookings.recordOutcome(p, id, dto.outcome);
  }
}
