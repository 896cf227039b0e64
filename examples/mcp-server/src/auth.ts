// The MCP server as an OAuth resource server: RFC 9728 metadata, RFC 6750 challenges, JWT access token checks.
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { McpConfig } from './config.ts';

export type Verified = { authInfo: AuthInfo } | { response: Response };

/** RFC 9728 §2: what a client needs to find the authorization server and ask it for a token for this resource. */
export function protectedResourceMetadata(cfg: McpConfig): Response {
  return Response.json(
    {
      resource: cfg.resource,
      authorization_servers: [cfg.issuer],
      bearer_methods_supported: ['header'],
      resource_name: 'edge-oidc MCP example',
    },
    { headers: { 'Cache-Control': 'public, max-age=300' } },
  );
}

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '')}"`;
}

/**
 * RFC 6750 §3 with RFC 9728 §5.1's resource_metadata, which MCP clients follow to discover the authorization
 * server. Without a token there is no error code (RFC 6750 §3.1); with a bad one, invalid_token.
 */
export function challenge(cfg: McpConfig, status: 400 | 401, error?: string, description?: string): Response {
  const params = [`resource_metadata=${quoted(cfg.resourceMetadataUrl)}`];
  if (error) params.push(`error=${quoted(error)}`);
  if (description) params.push(`error_description=${quoted(description)}`);
  const body = error ? { error, error_description: description } : { error: 'unauthorized', error_description: 'this MCP server needs an access token from its authorization server' };
  return Response.json(body, { status, headers: { 'WWW-Authenticate': `Bearer ${params.join(', ')}`, 'Cache-Control': 'no-store' } });
}

// The provider's keys, from its discovery document; only resolved values are kept per isolate, since workerd
// does not let one request wait on I/O started by another. jose refetches the set on an unknown kid (rotation).
let keys: { issuer: string; set: ReturnType<typeof createRemoteJWKSet> } | undefined;

async function keySet(issuer: string): Promise<ReturnType<typeof createRemoteJWKSet>> {
  if (keys?.issuer === issuer) return keys.set;
  const res = await fetch(`${issuer}/.well-known/oauth-authorization-server`, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`authorization server metadata answered ${res.status}`);
  const metadata = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
  // RFC 8414 §3.3: the metadata must name the issuer it was fetched for.
  if (metadata.issuer !== issuer || typeof metadata.jwks_uri !== 'string') throw new Error('authorization server metadata does not match ISSUER');
  const set = createRemoteJWKSet(new URL(metadata.jwks_uri), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  keys = { issuer, set };
  return set;
}

/**
 * MCP authorization: a Bearer token in the Authorization header, an RFC 9068 JWT access token signed by the
 * provider, for this server's resource URI (a token for another resource is refused, RFC 8707), not expired.
 */
export async function verifyRequest(request: Request, cfg: McpConfig): Promise<Verified> {
  const header = request.headers.get('Authorization');
  if (header === null) return { response: challenge(cfg, 401) };
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  if (!match) return { response: challenge(cfg, 400, 'invalid_request', 'the Authorization header must be: Bearer <access token>') };
  const token = match[1]!;
  let claims: JWTPayload & { scope?: unknown; client_id?: unknown };
  try {
    // The keys are looked up only once the token parses as a JWS: garbage is refused without a fetch.
    ({ payload: claims } = await jwtVerify(token, async (header, jws) => (await keySet(cfg.issuer))(header, jws), {
      issuer: cfg.issuer,
      audience: cfg.resource,
      typ: 'at+jwt',
      algorithms: ['ES256', 'RS256'],
      requiredClaims: ['exp', 'sub', 'client_id', 'iat', 'jti'],
    }));
  } catch (err) {
    if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) throw err;
    if (!(err instanceof errors.JOSEError)) throw err;
    const description = err instanceof errors.JWTExpired ? 'the access token expired' : 'the access token is not valid for this MCP server';
    return { response: challenge(cfg, 401, 'invalid_token', description) };
  }
  return {
    authInfo: {
      token,
      clientId: String(claims.client_id),
      scopes: typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [],
      expiresAt: claims.exp,
      resource: new URL(cfg.resource),
      extra: { sub: claims.sub },
    },
  };
}
