import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthorizedError } from '../errors/domain-errors';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { AuthService } from './auth.service';
import { Role } from './roles';

/** Global guard: every route needs a bearer token or an API key unless marked @Public, then its @Roles. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest();
    const header = req.headers['authorization'];
    const apiKey = req.headers['x-api-key'];
    let principal;
    if (typeof header === 'string' && /^Bearer\s+/i.test(header)) {
      principal = await this.auth.verifyToken(header.replace(/^Bearer\s+/i, '').trim());
    } else if (typeof apiKey === 'string' && apiKey.length > 0) {
      principal = await this.auth.verifyApiKey(apiKey);
    } else {
      throw new UnauthorizedError('Connectez-vous : en-tête Authorization: Bearer <jeton> ou X-Api-Key manquant');
    }
    req.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new ForbiddenError(`Action réservée aux rôles : ${roles.join(', ')}`);
    }
    return true;
  }
}
