import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { UuidParam } from '../validation/decorators';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/roles';
import { CommunesService } from './communes.service';
import { Practice } from './practice.entity';
import { DirectoryService } from './directory.service';
import {
  CommuneSearchQuery, CreateCommunityDto, CreatePracticeDto, CreatePractitionerDto, ListPracticesQuery, ListPractitionersQuery, UpdateCommunityDto,
} from './dto/directory.dto';

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
  createCommunity(@Body() dto: CreateCommunityDto) {
    return this.directory.createCommunity(dto);
  }

  @Roles('admin')
  @Patch('communities/:id')
  @ApiOperation({ summary: 'Compléter une CPTS : son numéro FINESS (sans lui, la plateforme SAS ne voit pas ses créneaux)' })
  updateCommunity(@UuidParam() id: string, @Body() dto: UpdateCommunityDto) {
    return this.directory.updateCommunity(id, dto);
  }

  @Roles('admin', 'coordinator')
  @Post('practices')
  @ApiOperation({ summary: 'Inscrire un cabinet (position : celle donnée, sinon le centre de la commune)' })
  async createPractice(@CurrentPrincipal() p: Principal, @Body() dto: CreatePracticeDto) {
    return presentPractice(await this.directory.createPractice(p, dto));
  }

  @Roles('admin', 'coordinator')
  @Post('practitioners')
  @ApiOperation({ summary: 'Inscrire un praticien (RPPS vérifié)' })
  createPractitioner(@CurrentPrincipal() p: Principal, @Body() dto: CreatePractitionerDto) {
    return this.directory.createPractitioner(p, dto);
  }

  @Get('practices')
  @ApiOperation({ summary: 'Cabinets membres' })
  async listPractices(@Query() q: ListPracticesQuery) {
    return { practices: (await this.directory.listPractices(q)).map(presentPractice) };
  }

  @Get('practitioners')
  @ApiOperation({ summary: 'Praticiens membres' })
  async listPractitioners(@Query() q: ListPractitionersQuery) {
    return { practitioners: await this.directory.listPractitioners(q) };
  }

  @Get('communes')
  @ApiOperation({ summary: 'Autocomplétion des communes (nom, code postal ou code INSEE)' })
  async searchCommunes(@Query() q: CommuneSearchQuery) {
    return { communes: await this.communes.search(q.q) };
  }
}

function presentPractice(p: Practice) {
  const { lat, lon, ...rest } = p;
  return { ...rest, location: { lat, lon } };
}
