import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Public, Roles } from './auth.decorators';
import { AuthService } from './auth.service';
import { CreateApiKeyDto, CreateUserDto, ListUsersQuery, LoginDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Se connecter : renvoie un jeton (Bearer) et le profil' })
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto.email, dto.password);
  }

  @Roles('admin', 'coordinator')
  @Post('users')
  @ApiBearerAuth() @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Créer un compte (admin, coordination)' })
  async createUser(@Body() dto: CreateUserDto) {
    const u = await this.auth.createUser(dto);
    return { id: u.id, email: u.email, role: u.role, practiceId: u.practiceId, practitionerId: u.practitionerId, communityId: u.communityId };
  }

  @Roles('admin', 'coordinator')
  @Get('users')
  @ApiBearerAuth() @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Lister les comptes, par rôle puis e-mail (admin, coordination)' })
  async listUsers(@Query() q: ListUsersQuery) {
    return { users: await this.auth.listUsers(q) };
  }

  @Roles('admin')
  @Post('api-keys')
  @ApiBearerAuth() @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Créer une clé d’API pour un logiciel (la clé n’est montrée qu’une fois)' })
  createApiKey(@Body() dto: CreateApiKeyDto) {
    return this.auth.createApiKey(dto.name, dto.role, dto.practiceId);
  }
}
