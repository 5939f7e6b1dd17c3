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

  /** A route's decorators, read once per handler (they do not change once the application runs). */
  private readonly rules = new WeakMap<object, WeakMap<object, { isPublic?: boolean; optional?: boolean; roles?: Role[] }>>();

  private rulesOf(ctx: ExecutionContext) {
    const [handler, controller] = [ctx.getHandler(), ctx.getClass()];
    let byClass = this.rules.get(handler);
    if (!byClass) this.rules.set(handler, (byClass = new WeakMap()));
    let rules = byClass.get(controller);
    if (!rules) {
      const targets = [handler, controller];
      rules = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets),
        optional: this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH_KEY, targets),
        roles: this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets),
      };
      byClass.set(controller, rules);
    }
    return rules;
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rules = this.rulesOf(ctx);
    if (rules.isPublic) return true;
    const req = ctx.switchToHttp().getRequest();
    if (rules.optional && !req.headers['authorization'] && !req.headers['x-api-key']) return true;
    const principal = await this.auth.authenticate(req.headers, req.ip ?? '');
    req.principal = principal;
    assertRole(principal, rules.roles);
    return true;
  }
}

/** 403 unless the principal has one of the roles (no roles: anyone signed in). */
export function assertRole(principal: Principal, roles: Role[] | undefined): void {
  if (roles && !roles.includes(principal.role)) throw new ForbiddenError(`Action réservée aux rôles : ${roles.join(', ')}`);
}
