// Response headers: the security set (documents or JSON) and CORS where browsers may read answers cross-origin.
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';

// Pages and the assets they load: every document header (docs/security.md).
const documentHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    // The pages' own scripts (/assets: passkeys, the show-password toggle), nothing inline, and Cloudflare
    // Turnstile's widget, which runs in a frame of its own.
    scriptSrc: ["'self'", 'https://challenges.cloudflare.com'],
    frameSrc: ['https://challenges.cloudflare.com'],
    imgSrc: ["'self'", 'https:'],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
});

// JSON answers are never rendered: the OWASP REST set (docs/performance.md, "Security headers").
const apiHeaders = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  crossOriginEmbedderPolicy: false,
  crossOriginResourcePolicy: false,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
  removePoweredBy: false,
});

/** Document headers under `documentPaths`, the API set everywhere else. */
export function securityHeaders(documentPaths: RegExp): MiddlewareHandler {
  return (c, next) => (documentPaths.test(c.req.path) ? documentHeaders(c, next) : apiHeaders(c, next));
}

/** Preflights for the public metadata documents, whose GET answers carry their own CORS header. */
export function metadataPreflight(): MiddlewareHandler {
  return cors({ origin: '*', allowMethods: ['GET'] });
}

/** CORS for no-store API answers, only for requests with an Origin (docs/performance.md, "CORS"). */
export function apiCors(): MiddlewareHandler {
  const apiCorsHeaders = cors({ origin: '*', allowMethods: ['GET', 'POST'], allowHeaders: ['Authorization', 'Content-Type'] });
  return (c, next) => (c.req.header('Origin') === undefined ? next() : apiCorsHeaders(c, next));
}
