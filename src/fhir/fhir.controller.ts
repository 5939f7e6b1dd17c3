import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { Body, Controller, Get, Header, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Bundle, CapabilityStatement, Practitioner, Schedule, Slot } from 'fhir/r4';
import { CurrentPrincipal, Public, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { AppConfig } from '../config/app-config';
import { FHIR_JSON, FhirError } from './fhir-errors';
import { parseIdentifierTokens, parseSlotSearch, rawQueryParams, rawQueryString } from './fhir-query';
import { capabilityStatement, toFhirRegulator } from './fhir-resources';
import { Bases, FhirService } from './fhir.service';
import { RegulatorsService } from './regulators.service';

/** This build's version, from the nearest package.json (src/ when run by ts-node, dist/src/ when built). */
function packageVersion(): string {
  for (let dir = __dirname, i = 0; i < 5; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).version;
  }
  return '0.0.0';
}
const VERSION = packageVersion();
const STARTED = new Date().toISOString();

/**
 * The SAS platform's FHIR R4 interface (« gestionnaire d'agenda CPTS », docs/sas.md), outside
 * /api/v1: INT_R04 (Slot search and reads), INT_R02 (regulator accounts). The SAS's credential is
 * an API key of role `regulator` (behind the mTLS proxy); answers are `application/fhir+json`,
 * errors OperationOutcomes (ErrorFilter).
 */
@ApiExcludeController()
@Roles('regulator', 'admin')
@Controller('fhir')
export class FhirController {
  constructor(
    private readonly fhir: FhirService,
    private readonly regulators: RegulatorsService,
    private readonly config: AppConfig,
  ) {}

  /** Our public address: PUBLIC_URL, else the one the request came to. */
  private bases(req: FastifyRequest): Bases {
    const web = (this.config.PUBLIC_URL ?? `${req.protocol}://${req.headers.host ?? 'localhost'}`).replace(/\/+$/, '');
    return { web, fhir: `${web}/fhir` };
  }

  private selfUrl(req: FastifyRequest, type: string): string {
    const query = rawQueryString(req.url);
    return `${this.bases(req).fhir}/${type}${query ? `?${query}` : ''}`;
  }

  @Public()
  @Get('metadata')
  @Header('content-type', FHIR_JSON)
  metadata(@Req() req: FastifyRequest): CapabilityStatement {
    return capabilityStatement(this.bases(req).fhir, VERSION, STARTED);
  }

  @Get('Slot')
  @Header('content-type', FHIR_JSON)
  searchSlots(@Req() req: FastifyRequest): Promise<Bundle> {
    const search = parseSlotSearch(rawQueryParams(req.url));
    return this.fhir.searchSlots(search, this.bases(req), this.selfUrl(req, 'Slot'));
  }

  @Get('Slot/:id')
  @Header('content-type', FHIR_JSON)
  readSlot(@Req() req: FastifyRequest, @Param('id') id: string): Promise<Slot> {
    return this.fhir.readSlot(id, this.bases(req));
  }

  @Get('Schedule')
  @Header('content-type', FHIR_JSON)
  searchSchedules(@Req() req: FastifyRequest, @Query('actor') actor?: string): Promise<Bundle> {
    return this.fhir.searchSchedules(typeof actor === 'string' ? actor : undefined, this.bases(req).fhir, this.selfUrl(req, 'Schedule'));
  }

  @Get('Schedule/:id')
  @Header('content-type', FHIR_JSON)
  readSchedule(@Param('id') id: string): Promise<Schedule> {
    return this.fhir.readSchedule(id);
  }

  @Get('Practitioner')
  @Header('content-type', FHIR_JSON)
  searchPractitioners(@Req() req: FastifyRequest): Promise<Bundle> {
    const identifier = rawQueryParams(req.url).find(([k]) => k === 'identifier')?.[1];
    return this.fhir.searchPractitioners(parseIdentifierTokens(identifier), this.bases(req).fhir, this.selfUrl(req, 'Practitioner'));
  }

  @Get('Practitioner/:id')
  @Header('content-type', FHIR_JSON)
  readPractitioner(@Param('id') id: string): Promise<Practitioner> {
    return this.fhir.readPractitioner(id);
  }

  /** INT_R02: the SAS creates a regulator account (201 + Location; 409 when it exists). */
  @Post('Practitioner')
  @HttpCode(201)
  async createRegulator(@CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<Practitioner> {
    assertPlatform(p);
    const row = await this.regulators.create(p, body);
    reply.header('location', `${this.bases(req).fhir}/Practitioner/${row.id}`).header('content-type', FHIR_JSON);
    return toFhirRegulator(row);
  }

  /** INT_R02: the SAS updates (or creates) the regulator account an identifier names. */
  @Put('Practitioner')
  async upsertRegulator(@CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<Practitioner> {
    assertPlatform(p);
    const identifier = rawQueryParams(req.url).find(([k]) => k === 'identifier')?.[1];
    const { row, created } = await this.regulators.upsert(p, identifier, body);
    reply.status(created ? 201 : 200).header('location', `${this.bases(req).fhir}/Practitioner/${row.id}`).header('content-type', FHIR_JSON);
    return toFhirRegulator(row);
  }
}

/** Accounts are created by the SAS platform's credential (an API key), not by a regulator signed in. */
function assertPlatform(p: Principal): void {
  if (p.kind !== 'api_key') throw new FhirError(403, 'forbidden', 'Les comptes des régulateurs sont créés par la plateforme SAS (sa clé d’API), pas par une personne connectée');
}
