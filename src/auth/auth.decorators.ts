import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Principal, Role } from './roles';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';
export const OPTIONAL_AUTH_KEY = 'optional-auth';

/** Roles allowed on a route; a route with no @Roles is open to any signed-in caller. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** No credentials needed (sign-in, health, web assets). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** Credentials are optional, but checked when given (a step of the sign-in a signed-in user may also take). */
export const OptionalAuth = () => SetMetadata(OPTIONAL_AUTH_KEY, true);

/** The caller (undefined on a public route, or an optional-auth route called without credentials). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest().principal;
});

/** The client's address: the direct peer, or X-Forwarded-For's when the peer is one of TRUSTED_PROXIES. */
export const ClientAddress = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return ctx.switchToHttp().getRequest().ip ?? '';
});
