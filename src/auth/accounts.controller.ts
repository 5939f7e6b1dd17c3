import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../validation/decorators';
import { AccountsService } from './accounts.service';
import { CurrentPrincipal, Roles } from './auth.decorators';
import { CreateApiKeyDto, CreateUserDto, ListUsersQuery, UpdateUserDto } from './dto/auth.dto';
import { Principal } from './roles';

@ApiTags('accounts')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Roles('admin', 'coordinator')
  @Post('users')
  @ApiOperation({ summary: 'Créer un compte (admin ; coordination : les comptes gp, secretary, coordinator de sa CPTS)' })
  createUser(@CurrentPrincipal() p: Principal, @Body() dto: CreateUserDto) {
    return this.accounts.create(p, dto);
  }

  @Roles('admin', 'coordinator')
  @Get('users')
  @ApiOperation({ summary: 'Lister les comptes, par rôle puis e-mail (coordination : ceux de sa CPTS)' })
  async listUsers(@CurrentPrincipal() p: Principal, @Query() q: ListUsersQuery) {
    return { users: await this.accounts.list(p, q) };
  }

  @Roles('admin', 'coordinator')
  @Patch('users/:id')
  @ApiOperation({ summary: 'Activer / désactiver un compte, changer son rôle ou son rattachement : ses jetons sont refusés aussitôt' })
  updateUser(@CurrentPrincipal() p: Principal, @UuidParam() id: string, @Body() dto: UpdateUserDto) {
    return this.accounts.update(p, id, dto);
  }

  @Roles('admin')
  @Delete('users/:id/mfa')
  @HttpCode(204)
  @ApiOperation({ summary: 'Réinitialiser le second facteur d’un compte (téléphone perdu) : il s’enrôle de nouveau à sa prochaine connexion' })
  async resetMfa(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    await this.accounts.resetMfa(p, id);
  }

  @Roles('admin')
  @Post('api-keys')
  @ApiOperation({ summary: 'Créer une clé d’API pour un logiciel (la clé n’est montrée qu’une fois)' })
  createApiKey(@CurrentPrincipal() p: Principal, @Body() dto: CreateApiKeyDto) {
    return this.accounts.createApiKey(p, dto);
  }

  @Roles('admin')
  @Get('api-keys')
  @ApiOperation({ summary: 'Les clés d’API (jamais la clé elle-même)' })
  async listApiKeys() {
    return { apiKeys: await this.accounts.listApiKeys() };
  }

  @Roles('admin')
  @Delete('api-keys/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Révoquer une clé d’API : refusée aussitôt' })
  async revokeApiKey(@CurrentPrincipal() p: Principal, @UuidParam() id: string) {
    await this.accounts.revokeApiKey(p, id);
  }
}
