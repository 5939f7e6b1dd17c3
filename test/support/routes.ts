import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Every route the application's controllers register, as `METHOD /path` relative to the API base
 * (`GET /bookings/:id`; `GET /health` outside it), read from Nest's own module container: a route
 * added to any controller shows up here.
 */
export function registeredRoutes(app: NestFastifyApplication): string[] {
  const routes: string[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as { prototype: Record<string, unknown> } | null;
      if (!controller) continue;
      const base: string = Reflect.getMetadata(PATH_METADATA, controller) ?? '';
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler);
        const method = Reflect.getMetadata(METHOD_METADATA, handler);
        if (path === undefined || method === undefined) continue;
        const parts = [base, path].flatMap((p: string) => p.split('/')).filter(Boolean);
        routes.push(`${RequestMethod[method]} /${parts.join('/')}`);
      }
    }
  }
  return [...new Set(routes)].sort();
}
