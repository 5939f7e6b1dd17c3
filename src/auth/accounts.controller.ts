import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../validation/decorators';
import { AccountsService } from './accounts.service';
import { CurrentPrincipal, Roles } from './auth.decorators';
import { CreateApiKeyDto, CreateUserDto, ListUsersQuery, UpdateUserDto } from './dto/auth.dto';
import { Principal } from './roles';
import { ApiErrors, forbiddenExcept } from '../errors/error-response';
import { ApiKeyCreatedResponse, ApiKeyListResponse, UserListResponse, UserResponse } from './dto/auth.responses';

/** Why linking an account to a practice, practitioner or CPTS is refused. */
const LINKS_UNPROCESSABLE =
  '`community_required` : compte de coordination sans communityId ; `practitioner_required` : compte médecin sans practitionerId ; `practice_required` : compte secrétariat sans practiceId ; `reference_not_found` : practiceId, practitionerId ou communityId inconnu ; `practice_mismatch` : ce praticien n’exerce pas dans ce cabinet';
const NO_CPTS = 'compte de coordination rattaché à aucune CPTS';

@ApiTags('accounts')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Roles('admin', 'coordinator')
  @Post('users')
  @ApiOperation({ summary: 'Créer un compte (admin ; coordination : les comptes gp, secretary, coordinator de sa CPTS)' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrors(
    400,
    401,
    forbiddenExcept(['admin', 'coordinator'], `la coordination ne crée que des comptes gp, secretary, coordinator de sa CPTS, sans rpps ; seul un compte regulator reçoit un rpps ; ${NO_CPTS}`),
    { status: 409, description: '`email_taken` : un compte a déjà cet e-mail ; `rpps_taken` : ce RPPS est déjà celui d’un compte ou d’un praticien' },
    { status: 422, description: LINKS_UNPROCESSABLE },
  )
  createUser(@CurrentPrincipal() p: Principal, @Body() dto: CreateUserDto) {
    return this.accounts.create(p, dto);
  }

  @Roles('admin', 'coordinator')
  @Get('users')
  @ApiOperation({ summary: 'Lister les comptes, par rôle puis e-mail (coordination : ceux de sa CPTS)' })
  @ApiOkResponse({ type: UserListResponse })
  @ApiErrors(400, 401, forbiddenExcept(['admin', 'coordinator'], NO_CPTS))
  async listUsers(@CurrentPrincipal() p: Principal, @Query() q: ListUsersQuery) {
    return { users: await this.accounts.list(p, q) };
  }

  @Roles('admin', 'coordinator')
  @Patch('users/:id')
  @ApiOperation({ summary: 'Activer / désactiver un compte, changer son rôle ou son rattachement : ses jetons sont refusés aussitôt' })
  @ApiOkResponse({ type: UserResponse, description: 'Le compte tel qu’il est maintenant' })
  @ApiErrors(
    400,
    401,
    forbiddenExcept(['admin', 'coordinator'], `la coordination ne gère que les comptes gp, secretary, coordinator de sa CPTS, ne donne que ces rôles et ne change pas de mot de passe ; ${NO_CPTS}`),
    { status: 404, description: '`not_found` : compte inconnu' },
    { status: 409, description: '`last_admin` : c’est le dernier administrateur actif' },
    { status: 422, description: LINKS_UNPROCESSABLE },
  )
  updateUser(@CurrentPrincipal() p: Principal, @UuidParam() id: string, @Body() dto: UpdateUserDto) {
    return this.accounts.update(p, id, dto);
  }

  @Roles('admin')
  @Delete('users/:id/mfa')
  @HttpCode(204)
  @ApiOperation({ summary: 'Réinitialiser le second facteur d’un compte (téléphone perdu) : il s’enrôle de nouveau à sa prochaine connexion' })
  @ApiNoContentResponse({ description: 'Réinitialisé ; ses sessions sont terminées' })
  @ApiErrors(400, 401, forbiddenExcept(['admin']), { status: 404, description: '`not_found` : compte inconnu' })
  async resetMfa(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    await this.accounts.resetMfa(p, id);
  }

  @Roles('admin')
  @Post('api-keys')
  @ApiOperation({ summary: 'Créer une clé d’API pour un logiciel (la clé n’est montrée qu’une fois)' })
  @ApiCreatedResponse({ type: ApiKeyCreatedResponse })
  @ApiErrors(400, 401, forbiddenExcept(['admin']), {
    status: 422,
    description:
      '`role_not_for_api_key` : une clé ne peut pas avoir le rôle gp ; `community_required` : clé coordinator sans communityId ; `practice_required` : clé secretary sans practiceId ; `reference_not_found` : practiceId ou communityId inconnu',
  })
  createApiKey(@CurrentPrincipal() p: Principal, @Body() dto: CreateApiKeyDto) {
    return this.accounts.createApiKey(p, dto);
  }

  @Roles('admin')
  @Get('api-keys')
  @ApiOperation({ summary: 'Les clés d’API (jamais la clé elle-même)' })
  @ApiOkResponse({ type: ApiKeyListResponse })
  @ApiErrors(401, forbiddenExcept(['admin']))
  async listApiKeys() {
    return { apiKeys: await this.accounts.listApiKeys() };
  }

  @Roles('admin')
  @Delete('api-keys/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Révoquer une clé d’API : refusée aussitôt' })
  @ApiNoContentResponse({ description: 'Révoquée (déjà révoquée : de même)' })
  @ApiErrors(400, 401, forbiddenExcept(['admin']), { status: 404, description: '`not_found` : clé inconnue' })
  async revokeApiKey(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    await this.accounts.revokeApiKey(p, id);
  }
}
