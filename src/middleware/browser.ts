// Middleware for the browser-facing pages: same-origin form posts only, and never cached.
import type { Context, MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import type { ServicesVariables } from './services.ts';

type IssuerEnv = { Variables: ServicesVariables };

const isIssuerOrigin = <E extends IssuerEnv>(origin: string, c: Context<E>) => origin === new URL(c.get('services').config.issuer).origin;

/** Hono's CSRF check against the issuer's origin (Origin or Sec-Fetch-Site must say same-origin). */
export function sameOriginForms(): MiddlewareHandler<IssuerEnv> {
  return csrf({ origin: (origin, c) => isIssuerOrigin(origin, c as Context<IssuerEnv>) });
}

/** The test sameOriginForms applies, as a predicate: a POST that one of our own pages sent. */
export function isSameOriginPost<E extends IssuerEnv>(c: Context<E>): boolean {
  if (c.req.method !== 'POST') return false;
  const origin = c.req.header('Origin');
  return c.req.header('Sec-Fetch-Site') === 'same-origin' || (origin !== undefined && isIssuerOrigin(origin, c));
}

/** Pages carrying signed transactions, codes or tokens must not be stored by any cache. */
export function noStore(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  };
}
