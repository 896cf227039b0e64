import { describe, expect, it } from 'vitest';
import { createClient, createUser, form, formAs, ISSUER, type TestClient } from '../helpers/fixtures.ts';
import { tokensFor, userinfo } from '../helpers/flow.ts';

function revoke(client: TestClient, token: string, hint?: string) {
  return formAs(client, '/revoke', { token, ...(hint ? { token_type_hint: hint } : {}) });
}

function introspect(client: TestClient, token: string) {
  return formAs(client, '/introspect', { token });
}

describe('revocation (RFC 7009)', () => {
  it('revokes an access token: userinfo and introspection then refuse it', async () => {
    const client = await createClient();
    const { access_token } = (await tokensFor(client, await createUser())).tokens;
    expect((await introspect(client, access_token)).status).toBe(200);
    const res = await revoke(client, access_token, 'refresh_token');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect((await userinfo(access_token)).status).toBe(401);
    expect(await (await introspect(client, access_token)).json()).toEqual({ active: false });
  });

  it("answers 200 for unknown tokens and does not revoke another client's token", async () => {
    const owner = await createClient();
    const other = await createClient();
    const { access_token } = (await tokensFor(owner, await createUser())).tokens;
    expect((await revoke(other, 'not-a-token')).status).toBe(200);
    expect((await revoke(other, access_token)).status).toBe(200);
    expect((await userinfo(access_token)).status).toBe(200);
  });

  it('requires client authentication and a token', async () => {
    const client = await createClient();
    const unauth = await form('/revoke', { token: 'x' });
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get('WWW-Authenticate')).toMatch(/^Basic/);
    const missing = await formAs(client, '/revoke', {});
    expect((await missing.json<{ error: string }>()).error).toBe('invalid_request');
  });
});

describe('introspection (RFC 7662)', () => {
  it('describes an active access token to any confidential client (a resource server)', async () => {
    const client = await createClient();
    const resourceServer = await createClient({ grantTypes: ['client_credentials'], scopes: [], redirectUris: [] });
    const { access_token } = (await tokensFor(client, await createUser())).tokens;
    const res = await introspect(resourceServer, access_token);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = await res.json<Record<string, unknown>>();
    expect(body).toMatchObject({ active: true, client_id: client.clientId, token_type: 'Bearer', scope: 'openid profile email' });
    expect(typeof body.exp).toBe('number');
    expect(typeof body.username).toBe('string');
  });

  it('reports aud as the token carries it: the resource and, for an openid grant, the issuer (RFC 9068 §2.2)', async () => {
    const client = await createClient({ audience: 'https://api.example.com' });
    const { access_token } = (await tokensFor(client, await createUser())).tokens;
    const body = await (await introspect(client, access_token)).json<Record<string, unknown>>();
    expect(body).toMatchObject({ active: true, aud: ['https://api.example.com', ISSUER] });
  });

  it('is inactive for garbage, and refuses public clients', async () => {
    const client = await createClient();
    expect(await (await introspect(client, 'garbage')).json()).toEqual({ active: false });
    expect(await (await introspect(client, 'a.b.c')).json()).toEqual({ active: false });
    const pub = await createClient({ tokenEndpointAuthMethod: 'none' });
    const res = await form('/introspect', { token: 'x', client_id: pub.clientId });
    expect(res.status).toBe(401);
    expect((await res.json<{ error: string }>()).error).toBe('invalid_client');
  });
});
