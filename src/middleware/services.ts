// Puts the per-isolate services (config, signing keys, peppers, envelope keys) on every request's context.
import type { MiddlewareHandler } from 'hono';
import type { Bindings } from '../bindings.ts';
import { loadServices, type Services } from '../services.ts';

export interface ServicesVariables {
  services: Services;
}

/** Ahead of every handler and of the middleware that reads config (same-origin forms, audit's callers). */
export function services(): MiddlewareHandler<{ Bindings: Bindings; Variables: ServicesVariables }> {
  return async (c, next) => {
    c.set('services', await loadServices(c.env));
    await next();
  };
}
