import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { IdempotencyKey, UuidParam } from '../validation/decorators';
import { BookingsService, REPEATED } from './bookings.service';
import { CancelBookingDto, CreateBookingDto, ListBookingsQuery, OutcomeDto } from './dto/bookings.dto';

@ApiTags('bookings')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('bookings')
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Roles('secretary', 'regulator', 'coordinator', 'admin')
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'même clé + même corps → même réponse' })
  @ApiOperation({ summary: 'Réserver un créneau pour un patient (409 slot_unavailable + alternatives si déjà pris)' })
  async book(@CurrentPrincipal() p: Principal, @Body() dto: CreateBookingDto, @Res({ passthrough: true }) reply: FastifyReply, @IdempotencyKey() key?: string) {
    const booking = await this.bookings.book(p, dto, key);
    // A retry without key of a booking already made: that booking, 200.
    if ((booking as Record<symbol, unknown>)[REPEATED]) reply.status(200);
    return booking;
  }

  @Get()
  @ApiOperation({ summary: 'Rendez-vous pris ou reçus par mon cabinet (coordination : tous)' })
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListBookingsQuery) {
    return { bookings: await this.bookings.list(p, q) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Un rendez-vous' })
  get(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    return this.bookings.get(p, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Annuler : le créneau redevient libre s’il est encore à venir' })
  cancel(@CurrentPrincipal() p: Principal, @UuidParam() id: string, @Body() dto: CancelBookingDto) {
    return this.bookings.cancel(p, id, dto?.reason);
  }

  @Roles('gp', 'secretary')
  @Post(':id/outcome')
  @HttpCode(200)
  @ApiOperation({ summary: 'Patient venu ou non (cabinet qui reçoit)' })
  outcome(@CurrentPrincipal() p: Principal, @UuidParam() id: string, @Body() dto: OutcomeDto) {
    return this.bookings.recordOutcome(p, id, dto.outcome);
  }
}
