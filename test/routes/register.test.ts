import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyClientSecret } from '../../src/crypto/digest.ts';
import { callWithEnv, ISSUER } from '../helpers/fixtures.ts';
import { expectOAuthError } from '../helpers/flow.ts';
import { bearer, type ClientInformation, mintInitialAccessToken, publicMetadata, register, type Policy } from '../helpers/registration.ts';

function storedRow(clientId: string) {
  return env.DB.prepare('SELECT secret_hash, registered_by, first_party, registration_token_hash, first_used_at FROM clients WHERE client_id = ?')
    .bind(clientId).first<{ secret_hash: string | null; registered_by: string; first_party: number; registration_token_hash: string; first_used_at: number | null }>();
}

const METADATA_PATHS = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'];

async function metadataUnder(policy: Policy | undefined, path: string): Promise<Record<string, unknown>> {
  return (await callWithEnv(policy ? { CLIENT_REGISTRATION: policy } : {}, path)).json();
}

describe('CLIENT_REGISTRATION=closed (the default)', () => {
  it('has no registration endpoint: 404 like any unknown path, for registration and management alike', async () => {
    for (const [path, method] of [['/register', 'POST'], ['/register/some-client', 'GET'], ['/register/some-client', 'DELETE']] as const) {
      const res = await callWithEnv({}, path, { method, headers: { 'Content-Type': 'application/json' }, ...(method === 'POST' ? { body: JSON.stringify(publicMetadata()) } : {}) });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'not_found' });
    }
  });

  it.each(METADATA_PATHS)('is not advertised in %s', async (path) => {
    expect(await metadataUnder(undefined, path)).not.toHaveProperty('registration_endpoint');
    expect(await metadataUnder('closed', path)).not.toHaveProperty('registration_endpoint');
  });
});

describe.each(['open', 'token'] as const)('CLIENT_REGISTRATION=%s', (policy) => {
  it.each(METADATA_PATHS)('advertises registration_endpoint in %s', async (path) => {
    expect((await metadataUnder(policy, path)).registration_endpoint).toBe(`${ISSUER}/register`);
  });
});

describe('open registration', () => {
  it('registers a public client: 201, the client information response, no secret, a hashed registration access token', async () => {
    const res = await register('open', publicMetadata({ scope: 'openid profile', client_uri: 'https://mcp.example/', software_id: 'mcp-desktop' }));
    expect(res.status).toBe(201);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const info = await res.json<ClientInformation>();
    expect(info).toMatchObject({
      client_name: 'Desktop MCP client', redirect_uris: ['http://127.0.0.1:33418/callback'], token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], scope: 'openid profile',
      client_uri: 'https://mcp.example/', software_id: 'mcp-desktop', registration_client_uri: `${ISSUER}/register/${info.client_id}`,
    });
    expect(info).not.toHaveProperty('client_secret');
    expect(info).not.toHaveProperty('client_secret_expires_at');
    expect(info.client_id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{21}$/);
    expect(Math.abs(info.client_id_issued_at - Date.now() / 1000)).toBeLessThan(5);
    const row = await storedRow(info.client_id);
    expect(row).toMatchObject({ secret_hash: null, registered_by: 'dcr', first_party: 0, first_used_at: null });
    expect(row!.registration_token_hash).not.toContain(info.registration_access_token);
    expect(await verifyClientSecret(info.registration_access_token, row!.registration_token_hash)).toBe(true);
  });

  it('makes a client that names no authentication method public, and refuses a confidential one', async () => {
    const { token_endpoint_auth_method: _, ...unnamed } = publicMetadata();
    const res = await register('open', unnamed);
    expect(res.status).toBe(201);
    expect((await res.json<ClientInformation>()).token_endpoint_auth_method).toBe('none');
    for (const method of ['client_secret_basic', 'client_secret_post']) {
      const body = await expectOAuthError(await register('open', publicMetadata({ token_endpoint_auth_method: method })), 400, 'invalid_client_metadata');
      expect(body.error_description).toContain('public clients only');
    }
  });

  it('defaults to the code grant, every supported scope and a generic name; ignores unknown members', async () => {
    const res = await register('open', { redirect_uris: ['https://app.example/cb'], token_endpoint_auth_method: 'none', software_statement: 'e30.e30.x', foo: { bar: 1 } });
    const info = await res.json<ClientInformation>();
    expect(res.status).toBe(201);
    expect(info).toMatchObject({ grant_types: ['authorization_code'], scope: 'openid profile email offline_access', client_name: 'Unnamed application' });
    expect(info).not.toHaveProperty('foo');
    expect(info).not.toHaveProperty('software_statement');
  });
});

describe('CORS, for MCP clients that run in a browser', () => {
  it('answers a preflight and lets the page read the registration', async () => {
    const origin = { Origin: 'https://inspector.example' };
    const preflight = await callWithEnv({ CLIENT_REGISTRATION: 'open' }, '/register', {
      method: 'OPTIONS', headers: { ...origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const res = await register('open', publicMetadata(), origin);
    expect(res.status).toBe(201);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });
});

describe('token registration', () => {
  afterEach(() => vi.useRealTimers());

  it('registers a confidential client with an initial access token: the secret shown once, stored hashed', async () => {
    const token = await mintInitialAccessToken();
    const res = await register('token', { ...publicMetadata(), token_endpoint_auth_method: undefined }, bearer(token));
    expect(res.status).toBe(201);
    const info = await res.json<ClientInformation>();
    expect(info.token_endpoint_auth_method).toBe('client_secret_basic');
    expect(info.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(info.client_secret_expires_at).toBe(0);
    const row = await storedRow(info.client_id);
    expect(row!.secret_hash).not.toContain(info.client_secret);
    expect(await verifyClientSecret(info.client_secret!, row!.secret_hash!)).toBe(true);
  });

  it('accepts the same token until it expires (multi-use), for public and client_secret_post clients', async () => {
    const token = await mintInitialAccessToken();
    expect((await register('token', publicMetadata(), bearer(token))).status).toBe(201);
    const post = await register('token', publicMetadata({ token_endpoint_auth_method: 'client_secret_post' }), bearer(token));
    expect(post.status).toBe(201);
    expect((await post.json<ClientInformation>()).token_endpoint_auth_method).toBe('client_secret_post');
  });

  it('refuses a request without a token, with a wrong one, and with an expired one: 401 invalid_token and a Bearer challenge', async () => {
    const missing = await register('token', publicMetadata());
    await expectOAuthError(missing, 401, 'invalid_token');
    expect(missing.headers.get('WWW-Authenticate')).toMatch(/^Bearer realm="https:\/\/id\.example\.test", error="invalid_token"/);
    await expectOAuthError(await register('token', publicMetadata(), bearer('not-a-token')), 401, 'invalid_token');
    await expectOAuthError(await register('token', publicMetadata(), { Authorization: 'Basic abc' }), 401, 'invalid_token');
    const token = await mintInitialAccessToken(60);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    await expectOAuthError(await register('token', publicMetadata(), bearer(token)), 401, 'invalid_token');
  });
});
