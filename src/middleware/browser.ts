// Middleware for the browser-facing pages: same-origin form posts only, and never cached.
import type { Context, MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import type { AppEnv } from '../env.ts';

/** Hono's CSRF check against the issuer's origin (Origin or Sec-Fetch-Site must say same-origin). */
export const sameOriginForms: MiddlewareHandler<AppEnv> = csrf({
  origin: (origin, c) => origin === new URL((c as Context<AppEnv>).get('services').config.issuer).origin,
});

/** Pages carrying signed transactions, codes or tokens must not be stored by any cache. */
export const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
};
