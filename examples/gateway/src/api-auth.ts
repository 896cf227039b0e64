// Protected endpoints: a Bearer access token (or the session's), verified offline against the provider's JWKS.
import type { MiddlewareHandler } from 'hono';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { GatewayConfig } from './config.ts';

export interface AccessToken {
  claims: JWTPayload & { scope?: string; client_id?: string };
  scopes: string[];
  /** Where the token came from: an Authorization header, or the browser's session cookie. */
  source: 'bearer' | 'session';
}

export interface ApiVariables {
  config: GatewayConfig;
  accessToken: AccessToken;
  /** The signed-in session's access token, used when no Authorization header is sent. */
  sessionAccessToken: string | null;
}

type ApiEnv = { Bindings: object; Variables: ApiVariables };

// jose caches the key set and refetches it on an unknown kid (key rotation), at most every 30 s.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySet(jwksUri: string) {
  let set = keySets.get(jwksUri);
  if (!set) {
    set = createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
    keySets.set(jwksUri, set);
  }
  return set;
}

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '')}"`;
}

/** RFC 6750 §3: the challenge, with an error code once a token was presented. */
function challenge(cfg: GatewayConfig, status: 400 | 401 | 403, error?: string, description?: string, scope?: string): Response {
  const params = [`realm=${quoted(cfg.origin)}`];
  if (error) params.push(`error=${quoted(error)}`);
  if (description) params.push(`error_description=${quoted(description)}`);
  if (scope) params.push(`scope=${quoted(scope)}`);
  const body = error ? { error, error_description: description } : { error: 'unauthorized', error_description: 'sign in, or send an access token' };
  return Response.json(body, { status, headers: { 'WWW-Authenticate': `Bearer ${params.join(', ')}`, 'Cache-Control': 'no-store' } });
}

/**
 * Accepts `Authorization: Bearer <access token>`, else the signed-in session's access token, and checks
 * it as RFC 9068 §4 says: signature by the provider's key, typ at+jwt, iss, aud = this API, exp.
 */
export function requireAccessToken<E extends ApiEnv>(jwksUri: () => Promise<string>): MiddlewareHandler<E> {
  return async (c, next) => {
    const cfg = c.get('config');
    const header = c.req.header('Authorization');
    let token: string | null;
    let source: AccessToken['source'];
    if (header !== undefined) {
      const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
      if (!match) return challenge(cfg, 400, 'invalid_request', 'the Authorization header must be: Bearer <access token>');
      token = match[1]!;
      source = 'bearer';
    } else {
      token = c.get('sessionAccessToken');
      source = 'session';
    }
    if (!token) return challenge(cfg, 401);
    let claims: AccessToken['claims'];
    try {
      ({ payload: claims } = await jwtVerify(token, keySet(await jwksUri()), {
        issuer: cfg.issuer,
        audience: cfg.origin,
        typ: 'at+jwt',
        algorithms: ['ES256', 'RS256'],
        requiredClaims: ['exp', 'sub', 'client_id', 'iat', 'jti'],
      }));
    } catch (err) {
      if (err instanceof errors.JOSEError) {
        const description = err instanceof errors.JWTExpired ? 'the access token expired' : 'the access token is not valid for this API';
        return challenge(cfg, 401, 'invalid_token', description);
      }
      throw err;
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
    c.set('accessToken', { claims, scopes, source });
    await next();
  };
}

/** 403 insufficient_scope unless the verified token was granted `scope`. */
export function requireScope<E extends ApiEnv>(scope: string): MiddlewareHandler<E> {
  return async (c, next) => {
    if (!c.get('accessToken').scopes.includes(scope)) {
      return challenge(c.get('config'), 403, 'insufficient_scope', `this endpoint needs the ${scope} scope`, scope);
    }
    await next();
  };
}
