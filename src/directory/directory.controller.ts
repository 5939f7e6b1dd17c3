import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { UuidParam } from '../validation/decorators';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { CommunesService } from './communes.service';
import { Practice } from './practice.entity';
import { DirectoryService } from './directory.service';
import {
  CommuneSearchQuery, CreateCommunityDto, CreatePracticeDto, CreatePractitionerDto, ListPracticesQuery, ListPractitionersQuery, UpdateCommunityDto, UpdatePracticeDto,
  UpdatePractitionerDto,
} from './dto/directory.dto';
import { ApiErrors, forbiddenExcept } from '../errors/error-response';
import {
  CommuneListResponse, CommunityResponse, PracticeListResponse, PracticeResponse, PractitionerListResponse, PractitionerResponse,
} from './dto/directory.responses';

@ApiTags('members')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
export class DirectoryController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly communes: CommunesService,
  ) {}

  @Roles('admin')
  @Post('communities')
  @ApiOperation({ summary: 'Créer une CPTS et son territoire (codes INSEE)' })
  @ApiCreatedResponse({ type: CommunityResponse })
  @ApiErrors(
    400,
    401,
    forbiddenExcept(['admin']),
    { status: 409, description: '`community_exists` : une CPTS porte déjà ce nom ; `finess_taken` : ce FINESS est celui d’une autre CPTS' },
    { status: 422, description: '`commune_unknown` : codes absents du code officiel géographique' },
  )
  createCommunity(@Body() dto: CreateCommunityDto) {
    return this.directory.createCommunity(dto);
  }

  @Roles('admin')
  @Patch('communities/:id')
  @ApiOperation({ summary: 'Compléter une CPTS : son numéro FINESS (sans lui, la plateforme SAS ne voit pas ses créneaux)' })
  @ApiOkResponse({ type: CommunityResponse })
  @ApiErrors(
    400,
    401,
    forbiddenExcept(['admin']),
    { status: 404, description: '`not_found` : CPTS inconnue' },
    { status: 409, description: '`finess_taken` : ce FINESS est celui d’une autre CPTS' },
  )
  updateCommunity(@UuidParam() id: string, @Body() dto: UpdateCommunityDto) {
    return this.directory.updateCommunity(id, dto);
  }

  @Roles('admin', 'coordinator')
  @Post('practices')
  @ApiOperation({ summary: 'Inscrire un cabinet (position : celle donnée, sinon le centre de la commune)' })
  @ApiCreatedResponse({ type: PracticeResponse })
  @ApiErrors(
    400,
    401,
    forbiddenExcept(['admin', 'coordinator'], 'la coordination inscrit des cabinets dans sa CPTS seulement ; compte de coordination sans CPTS'),
    {
      status: 422,
      description:
        '`reference_not_found` : communityId inconnu ; `commune_unknown` : commune absente du code officiel géographique ; `commune_location_unknown` : ni l’adresse ni la commune ne peuvent être situées (donner `location`) ; `postcode_unknown` : donner `postcode`',
    },
  )
  async createPractice(@CurrentPrincipal() p: Principal, @Body() dto: CreatePracticeDto) {
    return presentPractice(await this.directory.createPractice(p, dto));
  }

  @Roles('admin', 'coordinator')
  @Post('practitioners')
  @ApiOperation({ summary: 'Inscrire un praticien (RPPS vérifié)' })
  @ApiCreatedResponse({ type: PractitionerResponse })
  @ApiErrors(
    { status: 400, description: '`validation_failed` : corps invalide, dont un RPPS sans clé de contrôle valide' },
    401,
    forbiddenExcept(['admin', 'coordinator'], 'la coordination inscrit des praticiens dans les cabinets de sa CPTS seulement ; compte de coordination sans CPTS'),
    { status: 409, description: '`rpps_taken` : ce RPPS est déjà inscrit (praticien, ou compte de régulation)' },
    { status: 422, description: '`reference_not_found` : practiceId inconnu' },
  )
  createPractitioner(@CurrentPrincipal() p: Principal, @Body() dto: CreatePractitionerDto) {
    return this.directory.createPractitioner(p, dto);
  }

  @Roles('admin', 'coordinator')
  @Patch('practices/:id')
  @ApiOperation({ summary: 'Modifier un cabinet de sa CPTS (nom, téléphone, adresse ; une nouvelle adresse le replace)' })
  @ApiOkResponse({ type: PracticeResponse })
  @ApiErrors(
    400,
    401,
    forbiddenExcept(['admin', 'coordinator']),
    { status: 404, description: '`not_found` : cabinet inconnu, ou d’une autre CPTS' },
    { status: 422, description: '`commune_unknown`, `commune_location_unknown`, `postcode_unknown` : comme à l’inscription' },
  )
  async updatePractice(@CurrentPrincipal() p: Principal, @UuidParam() id: string, @Body() dto: UpdatePracticeDto) {
    return presentPractice(await this.directory.updatePractice(p, id, dto));
  }

  @Roles('admin', 'coordinator')
  @Patch('practitioners/:id')
  @ApiOperation({ summary: 'Modifier un praticien de sa CPTS (nom, profession, âge minimum, modalités ; ni son RPPS ni son cabinet)' })
  @ApiOkResponse({ type: PractitionerResponse })
  @ApiErrors(400, 401, forbiddenExcept(['admin', 'coordinator']), { status: 404, description: '`not_found` : praticien inconnu, ou d’une autre CPTS' })
  updatePractitioner(@CurrentPrincipal() p: Principal, @UuidParam() id: string, @Body() dto: UpdatePractitionerDto) {
    return this.directory.updatePractitioner(p, id, dto);
  }

  @Get('practices')
  @ApiOperation({ summary: 'Cabinets membres' })
  @ApiOkResponse({ type: PracticeListResponse })
  @ApiErrors(400, 401)
  async listPractices(@Query() q: ListPracticesQuery) {
    return { practices: (await this.directory.listPractices(q)).map(presentPractice) };
  }

  @Get('practitioners')
  @ApiOperation({ summary: 'Praticiens membres' })
  @ApiOkResponse({ type: PractitionerListResponse })
  @ApiErrors(400, 401)
  async listPractitioners(@Query() q: ListPractitionersQuery) {
    return { practitioners: await this.directory.listPractitioners(q) };
  }

  @Get('communes')
  @ApiOperation({ summary: 'Autocomplétion des communes (nom, code postal ou code INSEE)' })
  @ApiOkResponse({ type: CommuneListResponse })
  @ApiErrors(400, 401)
  async searchCommunes(@Query() q: CommuneSearchQuery) {
    return { communes: await this.communes.search(q.q) };
  }
}

function presentPractice(p: Practice) {
  const { lat, lon, ...rest } = p;
  return { ...rest, location: { lat, lon } };
}
