// Middleware for the browser-facing pages: same-origin form posts only, and never cached.
import type { Context, MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import type { AppEnv } from '../env.ts';

const isIssuerOrigin = (origin: string, c: Context<AppEnv>) => origin === new URL(c.get('services').config.issuer).origin;

/** Hono's CSRF check against the issuer's origin (Origin or Sec-Fetch-Site must say same-origin). */
export const sameOriginForms: MiddlewareHandler<AppEnv> = csrf({
  origin: (origin, c) => isIssuerOrigin(origin, c as Context<AppEnv>),
});

/** The test sameOriginForms applies, as a predicate: a POST that one of our own pages sent. */
export function isSameOriginPost(c: Context<AppEnv>): boolean {
  if (c.req.method !== 'POST') return false;
  const origin = c.req.header('Origin');
  return c.req.header('Sec-Fetch-Site') === 'same-origin' || (origin !== undefined && isIssuerOrigin(origin, c));
}

/** Pages carrying signed transactions, codes or tokens must not be stored by any cache. */
export const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
};
