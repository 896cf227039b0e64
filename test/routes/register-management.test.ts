// RFC 7592 client configuration endpoint: read, update (full replacement, token rotation) and delete.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createClient } from '../helpers/fixtures.ts';
import { expectOAuthError } from '../helpers/flow.ts';
import { bearer, callRegistration, type ClientInformation, mintInitialAccessToken, publicMetadata, register, registerPublicClient } from '../helpers/registration.ts';

function manage(info: ClientInformation, method: string, body?: unknown, token = info.registration_access_token): Promise<Response> {
  return callRegistration('open', new URL(info.registration_client_uri).pathname, { method, headers: bearer(token), body });
}

describe('GET registration_client_uri (RFC 7592 §2.1)', () => {
  it('returns the client as registered, with the token presented', async () => {
    const { info } = await registerPublicClient({ logo_uri: 'https://mcp.example/logo.png' });
    const res = await manage(info, 'GET');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const read = await res.json<ClientInformation>();
    expect(read).toEqual(info);
  });

  it('works under token policy too, and answers 401 for an unknown client or an administrator\'s client', async () => {
    const { info } = await registerPublicClient();
    const res = await callRegistration('token', new URL(info.registration_client_uri).pathname, { headers: bearer(info.registration_access_token) });
    expect(res.status).toBe(200);
    await expectOAuthError(await callRegistration('open', '/register/no-such-client', { headers: bearer(info.registration_access_token) }), 401, 'invalid_token');
    await expectOAuthError(await callRegistration('open', `/register/${'x'.repeat(300)}`, { headers: bearer(info.registration_access_token) }), 401, 'invalid_token');
    await expectOAuthError(await callRegistration('open', new URL(info.registration_client_uri).pathname), 401, 'invalid_token');
    const admins = await createClient({ firstParty: false });
    for (const method of ['GET', 'DELETE']) {
      await expectOAuthError(await callRegistration('open', `/register/${admins.clientId}`, { method, headers: bearer(info.registration_access_token) }), 401, 'invalid_token');
    }
    expect(await env.DB.prepare('SELECT 1 FROM clients WHERE client_id = ?').bind(admins.clientId).first()).not.toBeNull();
  });
});

describe('PUT registration_client_uri (RFC 7592 §2.2)', () => {
  it('replaces the metadata whole (omitted members return to their defaults) and rotates the token', async () => {
    const { info } = await registerPublicClient({ scope: 'openid profile', client_uri: 'https://mcp.example/' });
    const res = await manage(info, 'PUT', { client_id: info.client_id, redirect_uris: ['http://localhost:9000/cb'], grant_types: ['authorization_code'] });
    expect(res.status).toBe(200);
    const updated = await res.json<ClientInformation>();
    expect(updated).toMatchObject({
      client_id: info.client_id, redirect_uris: ['http://localhost:9000/cb'], grant_types: ['authorization_code'],
      scope: 'openid profile email offline_access', client_name: 'Unnamed application', token_endpoint_auth_method: 'none',
    });
    expect(updated).not.toHaveProperty('client_uri');
    expect(updated.registration_access_token).not.toBe(info.registration_access_token);
    await expectOAuthError(await manage(info, 'GET'), 401, 'invalid_token');
    expect((await manage(updated, 'GET')).status).toBe(200);
  });

  it('refuses a different client_id, server-provisioned members, a new auth method and bad redirect URIs', async () => {
    const { info } = await registerPublicClient();
    const base = { ...publicMetadata(), client_id: info.client_id };
    await expectOAuthError(await manage(info, 'PUT', { ...base, client_id: 'another' }), 400, 'invalid_client_metadata');
    await expectOAuthError(await manage(info, 'PUT', { ...base, registration_access_token: info.registration_access_token }), 400, 'invalid_client_metadata');
    await expectOAuthError(await manage(info, 'PUT', { ...base, client_id_issued_at: 1 }), 400, 'invalid_client_metadata');
    await expectOAuthError(await manage(info, 'PUT', { ...base, token_endpoint_auth_method: 'client_secret_basic' }), 400, 'invalid_client_metadata');
    await expectOAuthError(await manage(info, 'PUT', { ...base, client_secret: 'chosen-by-me' }), 400, 'invalid_client_metadata');
    await expectOAuthError(await manage(info, 'PUT', { ...base, redirect_uris: ['javascript:alert(1)'] }), 400, 'invalid_redirect_uri');
    // Nothing changed, and the token still works.
    expect(await (await manage(info, 'GET')).json()).toEqual(info);
  });

  it('accepts a confidential client\'s current secret, keeps it, and never returns it', async () => {
    const res = await register('token', publicMetadata({ token_endpoint_auth_method: 'client_secret_basic' }), bearer(await mintInitialAccessToken()));
    const info = await res.json<ClientInformation>();
    const put = await manage(info, 'PUT', { ...publicMetadata({ token_endpoint_auth_method: undefined }), client_id: info.client_id, client_secret: info.client_secret });
    expect(put.status).toBe(200);
    const updated = await put.json<ClientInformation>();
    expect(updated).not.toHaveProperty('client_secret');
    expect(updated).toMatchObject({ token_endpoint_auth_method: 'client_secret_basic', client_secret_expires_at: 0 });
  });
});

describe('DELETE registration_client_uri (RFC 7592 §2.3)', () => {
  it('deletes the client: 204, then 401 for its token', async () => {
    const { info } = await registerPublicClient();
    const res = await manage(info, 'DELETE');
    expect(res.status).toBe(204);
    expect(await env.DB.prepare('SELECT 1 FROM clients WHERE client_id = ?').bind(info.client_id).first()).toBeNull();
    await expectOAuthError(await manage(info, 'GET'), 401, 'invalid_token');
    await expectOAuthError(await manage(info, 'DELETE'), 401, 'invalid_token');
  });
});
