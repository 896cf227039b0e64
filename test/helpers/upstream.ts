// Driving the upstream sign-in from tests: providers in the test D1, the provider buttons, the callback with its cookie.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { importDataKeys } from '../../src/crypto/data-key.ts';
import { insertProvider, type UpstreamKind } from '../../src/store/upstream-providers.ts';
import { sealClientSecret } from '../../src/upstream/secret.ts';
import { authorizeUrl, callWithEnv, hiddenTx, ISSUER, type TestClient } from './fixtures.ts';
import type { OpDouble } from './upstream-double.ts';

export const OPEN = { SIGNUP: 'open' };

export async function addProvider(name: string, kind: UpstreamKind, issuer: string, extra: { trustEmail?: boolean; allowedDomains?: string[] } = {}) {
  const keys = await importDataKeys(env.DATA_ENCRYPTION_KEY!);
  await insertProvider(env.DB, {
    name, kind, issuer, tenant: null, clientId: `our-id-at-${name}`, clientSecret: await sealClientSecret(keys, name, 'upstream-secret'),
    scopes: kind === 'github' ? ['read:user', 'user:email'] : ['openid', 'email', 'profile'], trustEmail: extra.trustEmail ?? false,
    allowedDomains: extra.allowedDomains ?? [], enabled: true, keepTokens: false, createdAt: 1, updatedAt: 1,
  });
}

export function flowCookieOf(res: Response): string {
  return /((?:__Host-)?edge_oidc_upstream=[^;]+)/.exec(res.headers.get('Set-Cookie') ?? '')![1]!;
}

/** The redirect to the upstream: remembers the nonce it carries in the double, returns the flow cookie and state. */
export function followToUpstream(res: Response, ops: Map<string, OpDouble>) {
  expect(res.status).toBe(303);
  const url = new URL(res.headers.get('Location')!);
  const op = ops.get(url.origin);
  if (op) op.nonce = url.searchParams.get('nonce');
  return { url, cookie: flowCookieOf(res), state: url.searchParams.get('state')! };
}

/** /authorize, then the provider's button on the sign-in page. */
export async function startFromLogin(client: TestClient, provider: string, ops: Map<string, OpDouble>, overrides: Record<string, string> = {}) {
  const html = await (await callWithEnv(overrides, authorizeUrl(client))).text();
  expect(html).toContain(`value="${provider}"`);
  return followToUpstream(await callWithEnv(overrides, '/upstream/start', {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER },
    body: new URLSearchParams({ tx: hiddenTx(html), provider }).toString(),
  }), ops);
}

export function upstreamCallback(provider: string, cookie: string, params: Record<string, string>, overrides: Record<string, string> = OPEN) {
  return callWithEnv(overrides, `/upstream/${provider}/callback?${new URLSearchParams(params)}`, { headers: { Cookie: cookie } });
}
