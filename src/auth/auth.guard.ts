import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from '../errors/domain-errors';
import { OPTIONAL_AUTH_KEY, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { AuthService } from './auth.service';
import { Principal, Role } from './roles';

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
    if (this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH_KEY, targets) && !req.headers['authorization'] && !req.headers['x-api-key']) return true;
    const principal = await this.auth.authenticate(req.headers, req.ip ?? '');
    req.principal = principal;
    assertRole(principal, this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets));
    return true;
  }
}

/** 403 unless the principal has one of the roles (no roles: anyone signed in). */
export function assertRole(principal: Principal, roles: Role[] | undefined): void {
  if (roles && !roles.includes(principal.role)) throw new ForbiddenError(`Action réservée aux rôles : ${roles.join(', ')}`);
}
