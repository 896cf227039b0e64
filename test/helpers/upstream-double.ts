// A test double of a third-party OpenID provider (and of GitHub's OAuth + REST API), answering the Worker's outbound
// fetch in workerd tests, with knobs for hostile answers. The node suite runs a real edge-oidc as the upstream instead.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { vi } from 'vitest';

export interface OpDouble {
  issuer: string;
  /** The claims of the next id_token, over the defaults (sub, aud, nonce from the authorization request...). */
  claims: Record<string, unknown>;
  /** Replace the token endpoint's answer entirely (malformed, huge, an error). */
  tokenResponse: (() => Response) | null;
  /** Sign with alg none (an unsecured JWT), or another key than the JWKS publishes. */
  alg: 'RS256' | 'none' | 'wrong-key';
  down: boolean;
  /** GitHub double: /user and /user/emails. */
  githubUser: Record<string, unknown>;
  githubEmails: unknown[];
  nonce: string | null;
}

const keys = generateKeyPair('RS256', { extractable: true });
const otherKeys = generateKeyPair('RS256');

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

async function idToken(op: OpDouble, clientId: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: op.issuer, sub: 'upstream-sub', aud: clientId, iat: now, exp: now + 300, nonce: op.nonce, ...op.claims };
  if (op.alg === 'none') {
    const enc = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`;
  }
  const key = op.alg === 'wrong-key' ? (await otherKeys).privateKey : (await keys).privateKey;
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(key);
}

async function answer(op: OpDouble, url: URL, init: RequestInit | undefined): Promise<Response> {
  if (op.down) throw new TypeError('fetch failed: connection refused');
  // By suffix: Microsoft's endpoints live under a tenant path (/common/v2.0/...).
  const path = ['/.well-known/openid-configuration', '/jwks', '/token'].find((p) => url.pathname.endsWith(p)) ?? url.pathname;
  if (path === '/.well-known/openid-configuration') {
    return json({
      issuer: op.issuer, authorization_endpoint: `${url.origin}/authorize`, token_endpoint: `${url.origin}/token`, jwks_uri: `${url.origin}/jwks`,
      response_types_supported: ['code'], id_token_signing_alg_values_supported: ['RS256'], subject_types_supported: ['public'],
    });
  }
  if (path === '/jwks') return json({ keys: [{ ...(await exportJWK((await keys).publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
  if (path === '/token' || path === '/login/oauth/access_token') {
    if (op.tokenResponse) return op.tokenResponse();
    const auth = new Headers(init?.headers).get('Authorization');
    const body = new URLSearchParams(String(init?.body ?? ''));
    const clientId = auth ? atob(auth.slice(6)).split(':')[0]! : body.get('client_id')!;
    if (path === '/login/oauth/access_token') return json({ access_token: 'gho_token', token_type: 'bearer', scope: 'read:user,user:email' });
    return json({ access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: await idToken(op, decodeURIComponent(clientId)) });
  }
  if (path === '/api/v3/user') return json(op.githubUser);
  if (path === '/api/v3/user/emails') return json(op.githubEmails);
  return json({ error: 'not_found' }, 404);
}

/** Installs the doubles as the Worker's fetch (same isolate); returns them by origin. Undo with vi.unstubAllGlobals(). */
export function installUpstreams(issuers: string[]): Map<string, OpDouble> {
  const doubles = new Map(issuers.map((issuer) => [new URL(issuer).origin, {
    issuer, claims: {}, tokenResponse: null, alg: 'RS256', down: false, githubUser: {}, githubEmails: [], nonce: null,
  } satisfies OpDouble as OpDouble]));
  const real = globalThis.fetch;
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const op = doubles.get(url.origin);
    return op ? answer(op, url, init) : real(input, init);
  });
  return doubles;
}
