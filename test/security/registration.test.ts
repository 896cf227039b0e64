// Hostile registrations (issue 16): redirect URIs that must never be registered, bodies that are not metadata,
// a flood from one address, and registration access tokens presented for the wrong client.
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRedirectUriForRegistration } from '../../src/oauth/redirect-uri.ts';
import { expectOAuthError } from '../helpers/flow.ts';
import { bearer, callRegistration, publicMetadata, register, registerPublicClient } from '../helpers/registration.ts';

async function registeredCount(): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM clients WHERE registered_by = 'dcr'").first<{ n: number }>())!.n;
}

describe('redirect URIs that are refused with invalid_redirect_uri', () => {
  it.each([
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['a wildcard host', 'https://*.example.com/cb'],
    ['a wildcard path', 'https://app.example.com/*'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['http to a public host', 'http://app.example.com/cb'],
    ['a fragment', 'https://app.example.com/cb#x'],
    ['user credentials', 'https://user:pw@app.example.com/cb'],
    ['a relative URI', '/cb'],
    ['file:', 'file:///etc/passwd'],
  ])('%s', async (_, uri) => {
    const before = await registeredCount();
    const body = await expectOAuthError(await register('open', publicMetadata({ redirect_uris: ['https://ok.example/cb', uri] })), 400, 'invalid_redirect_uri');
    expect(body.error_description).toMatch(/^redirect_uri /);
    expect(await registeredCount()).toBe(before);
  });

  it.each([
    ['missing', undefined],
    ['empty', []],
    ['not an array', 'https://app.example/cb'],
    ['not strings', [42]],
    ['too many', Array.from({ length: 11 }, (_, i) => `https://app.example/cb${i}`)],
  ])('redirect_uris %s', async (_, redirectUris) => {
    await expectOAuthError(await register('open', publicMetadata({ redirect_uris: redirectUris })), 400, 'invalid_redirect_uri');
  });
});

describe('metadata refused with invalid_client_metadata', () => {
  it.each([
    ['a grant a registered client may not use', { grant_types: ['client_credentials'] }],
    ['the implicit grant', { grant_types: ['implicit'], response_types: ['token'] }],
    ['response_types other than code', { response_types: ['code', 'token'] }],
    ['grant_types without authorization_code (RFC 7591 §2.1)', { grant_types: ['refresh_token'] }],
    ['an unknown authentication method', { token_endpoint_auth_method: 'private_key_jwt' }],
    ['an http logo_uri', { logo_uri: 'http://app.example/logo.png' }],
    ['a javascript: client_uri', { client_uri: 'javascript:alert(1)' }],
    ['a data: logo_uri', { logo_uri: 'data:image/png;base64,AAAA' }],
    ['a client_name with control characters', { client_name: 'App\u0000\u001b[31m' }],
    ['a client_name that is not a string', { client_name: ['App'] }],
    ['a scope with a quote', { scope: 'openid "x' }],
    ['an unsupported id_token alg', { id_token_signed_response_alg: 'none' }],
    ['a post-logout redirect URI with javascript:', { post_logout_redirect_uris: ['javascript:alert(1)'] }],
    ['contacts that are not addresses', { contacts: ['a b'] }],
  ])('%s', async (_, overrides) => {
    await expectOAuthError(await register('open', publicMetadata(overrides)), 400, 'invalid_client_metadata');
  });
});

describe('bodies that are not a registration request', () => {
  it('refuses a body over the size limit before reading it', async () => {
    const big = publicMetadata({ client_name: 'x', padding: 'y'.repeat(20_000) });
    const body = await expectOAuthError(await register('open', big), 400, 'invalid_request');
    expect(body.error_description).toContain('too large');
  });

  it('refuses a body that is not JSON, and JSON that is not an object', async () => {
    await expectOAuthError(await register('open', '{"redirect_uris": ['), 400, 'invalid_request');
    await expectOAuthError(await register('open', '\u0000\u00ff'), 400, 'invalid_request');
    await expectOAuthError(await register('open', '[]'), 400, 'invalid_client_metadata');
    await expectOAuthError(await register('open', 'null'), 400, 'invalid_client_metadata');
  });

  it('refuses a form or text content type (RFC 7591 §3.1: application/json)', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'application/jsonp']) {
      const res = await callRegistration('open', '/register', { method: 'POST', headers: { 'Content-Type': type }, body: JSON.stringify(publicMetadata()) });
      await expectOAuthError(res, 400, 'invalid_request');
    }
  });

  it('never answers 500 to a prototype-polluting body', async () => {
    const res = await register('open', '{"__proto__": {"redirect_uris": ["https://evil.example/cb"]}, "constructor": 1}');
    await expectOAuthError(res, 400, 'invalid_redirect_uri');
  });
});

describe('random metadata (fast-check)', () => {
  const uri = fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'data:,x', 'http://evil.example/cb', 'https://*.x.example/', 'com.example.app:/cb', 'http://[::1]:1/cb'), fc.string());
  const member = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, arb, fc.anything());
  const metadata = fc.record({
    redirect_uris: member(fc.array(uri, { minLength: 1, maxLength: 4 })),
    token_endpoint_auth_method: member(fc.constantFrom('none', 'client_secret_basic', 'private_key_jwt')),
    grant_types: member(fc.array(fc.constantFrom('authorization_code', 'refresh_token', 'implicit', 'client_credentials'), { maxLength: 3 })),
    response_types: member(fc.array(fc.constantFrom('code', 'token'), { maxLength: 2 })),
    scope: member(fc.string()),
    client_name: member(fc.string()),
    logo_uri: member(uri),
    contacts: member(fc.array(fc.emailAddress(), { maxLength: 6 })),
  }, { requiredKeys: [] });
  // Mostly well-formed requests, so that some are registered and their stored values can be checked.
  const plausible = fc.record({ redirect_uris: fc.array(uri, { minLength: 1, maxLength: 3 }), logo_uri: uri, client_name: fc.string() }, { requiredKeys: ['redirect_uris'] })
    .map((m) => ({ ...m, token_endpoint_auth_method: 'none' }));

  it('answers 201 or a 400 RFC 7591 error, never a 5xx, and registers only redirect URIs the rules allow', async () => {
    const statuses = new Set<number>();
    await fc.assert(fc.asyncProperty(fc.oneof(metadata, plausible), async (body) => {
      const res = await register('open', body);
      statuses.add(res.status);
      const json = await res.json<{ error?: string; redirect_uris?: string[]; logo_uri?: string }>();
      if (res.status === 201) {
        expect(json.redirect_uris!.every((u) => checkRedirectUriForRegistration(u) === null)).toBe(true);
        if (json.logo_uri !== undefined) expect(json.logo_uri).toMatch(/^https:\/\//);
      } else {
        expect(res.status).toBe(400);
        expect(['invalid_redirect_uri', 'invalid_client_metadata', 'invalid_request']).toContain(json.error);
      }
    }), { numRuns: 200 });
    expect([...statuses].sort()).toEqual([201, 400]);
  }, 60_000);
});

describe('1,000 registrations from one address', () => {
  it('admits REGISTRATION_MAX_PER_IP in the window, then 429 with Retry-After, and stores nothing more', async () => {
    const before = await registeredCount();
    const statuses: number[] = [];
    // In parallel batches: the Durable Object counter serialises them, so exactly the limit get through. Each
    // request comes from another address of one IPv6 /64, which counts as one address.
    for (let i = 0; i < 1000; i += 100) {
      const batch = await Promise.all(Array.from({ length: 100 }, (_, j) => register('open', publicMetadata(), {
        'CF-Connecting-IP': `2001:db8:1:2::${(i + j).toString(16)}`,
      }, { REGISTRATION_MAX_PER_IP: '10' })));
      for (const res of batch) {
        statuses.push(res.status);
        if (res.status === 429) {
          expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
          expect(Number(res.headers.get('Retry-After'))).toBeLessThanOrEqual(900);
          expect((await res.json<{ error: string }>()).error).toBe('temporarily_unavailable');
        } else await res.body?.cancel();
      }
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(990);
    expect(await registeredCount()).toBe(before + 10);
    const audited = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE type = 'client.registration.throttled'").first<{ n: number }>();
    expect(audited!.n).toBe(1);
    // Another address is not held back.
    expect((await register('open', publicMetadata(), { 'CF-Connecting-IP': '198.51.100.9' }, { REGISTRATION_MAX_PER_IP: '10' })).status).toBe(201);
    // 1,000 requests into workerd take about 2 s, more on a loaded machine: above vitest's 5 s default.
  }, 60_000);
});

describe('a registration access token used for another client', () => {
  it('is refused with 401 invalid_token for read, update and delete, and changes nothing', async () => {
    const a = await registerPublicClient();
    const b = await registerPublicClient({ client_name: 'Victim' });
    const path = new URL(b.info.registration_client_uri).pathname;
    const headers = bearer(a.info.registration_access_token);
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const body = method === 'PUT' ? { ...publicMetadata({ redirect_uris: ['https://evil.example/cb'] }), client_id: b.info.client_id } : undefined;
      const res = await callRegistration('open', path, { method, headers, body });
      await expectOAuthError(res, 401, 'invalid_token');
      expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer /);
    }
    const still = await callRegistration('open', path, { headers: bearer(b.info.registration_access_token) });
    expect(still.status).toBe(200);
    expect((await still.json<{ redirect_uris: string[]; client_name: string }>())).toMatchObject({ redirect_uris: b.info.redirect_uris, client_name: 'Victim' });
  });
});
