// The upstream's authorization server metadata: OIDC Discovery (cached per isolate), or GitHub's fixed endpoints.
import {
  _expectedIssuer, _nodiscoverycheck, allowInsecureRequests, customFetch, discoveryRequest, processDiscoveryResponse,
  type AuthorizationServer,
} from 'oauth4webapi';
import type { UpstreamProvider } from '../store/upstream-providers.ts';
import { upstreamFetch } from './http.ts';

// Not in oauth4webapi's types, but exported for exactly this: openid-client (same author) sets it for Microsoft's
// multi-tenant metadata, whose issuer is a template no single issuer string can match.
declare module 'oauth4webapi' {
  export const _expectedIssuer: unique symbol;
  export const _nodiscoverycheck: unique symbol;
}

const DISCOVERY_TTL_MS = 10 * 60 * 1000;
const cache = new Map<string, { server: AuthorizationServer; expiresAtMs: number }>();
const MICROSOFT_TEMPLATE = 'https://login.microsoftonline.com/{tenantid}/v2.0';
const MICROSOFT_TENANT_ISSUER = /^https:\/\/login\.microsoftonline\.com\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/v2\.0$/;
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** How we fetch: bounded (http.ts); plain http only for an upstream on this machine (a local wrangler dev). */
export function requestOptions(p: UpstreamProvider): { [customFetch]: typeof upstreamFetch; [allowInsecureRequests]?: boolean } {
  const local = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(p.issuer);
  return { [customFetch]: upstreamFetch, ...(local ? { [allowInsecureRequests]: true } : {}) };
}

/** GitHub.com's API host, or GitHub Enterprise Server's /api/v3 under its own origin (a stand-in's too). */
export function githubApiBase(p: UpstreamProvider): string {
  return p.issuer === 'https://github.com' ? 'https://api.github.com' : `${p.issuer}/api/v3`;
}

function githubServer(p: UpstreamProvider): AuthorizationServer {
  return { issuer: p.issuer, authorization_endpoint: `${p.issuer}/login/oauth/authorize`, token_endpoint: `${p.issuer}/login/oauth/access_token` };
}

/**
 * Microsoft's common/organizations/consumers (and a tenant named by domain) publish an issuer other than the URL
 * asked: the template, or the tenant's id. The template is resolved per token from its tid (a tenant id, checked),
 * so iss is still compared exactly.
 */
function microsoftIssuer(server: AuthorizationServer): AuthorizationServer {
  if (MICROSOFT_TENANT_ISSUER.test(server.issuer)) return server;
  if (server.issuer !== MICROSOFT_TEMPLATE) throw new Error('unexpected Microsoft issuer');
  return Object.assign(server, {
    [_expectedIssuer]: ({ claims }: { claims: Record<string, unknown> }) =>
      typeof claims.tid === 'string' && TENANT_ID.test(claims.tid) ? MICROSOFT_TEMPLATE.replace('{tenantid}', claims.tid) : MICROSOFT_TEMPLATE,
  });
}

async function discover(p: UpstreamProvider): Promise<AuthorizationServer> {
  const issuer = new URL(p.issuer);
  const response = await discoveryRequest(issuer, { ...requestOptions(p), algorithm: 'oidc' });
  if (p.kind !== 'microsoft') return processDiscoveryResponse(issuer, response);
  return microsoftIssuer(await processDiscoveryResponse(_nodiscoverycheck as unknown as URL, response));
}

/** The metadata, from this isolate's cache when fresh (providers' endpoints change rarely; keys are fetched by oauth4webapi). */
export async function authorizationServer(p: UpstreamProvider): Promise<AuthorizationServer> {
  if (p.kind === 'github') return githubServer(p);
  const key = `${p.kind} ${p.issuer}`;
  const hit = cache.get(key);
  if (hit && hit.expiresAtMs > Date.now()) return hit.server;
  const server = await discover(p);
  cache.set(key, { server, expiresAtMs: Date.now() + DISCOVERY_TTL_MS });
  return server;
}
