import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { basic, createClient, form, ISSUER } from '../../helpers/fixtures.ts';
import { publicKeySet, userinfo } from '../../helpers/flow.ts';

function clientCredentials(clientId: string, secret: string, extra: Record<string, string> = {}) {
  return form('/token', { grant_type: 'client_credentials', ...extra }, { Authorization: basic(clientId, secret) });
}

describe('client credentials grant', () => {
  it('issues an RFC 9068 access token with sub = client_id, the audience, and no id_token or refresh token', async () => {
    const client = await createClient({ grantTypes: ['client_credentials'], scopes: ['api:read', 'api:write'], audience: 'https://api.example.com', redirectUris: [] });
    const res = await clientCredentials(client.clientId, client.secret!);
    expect(res.status).toBe(200);
    const body = await res.json<Record<string, unknown>>();
    expect(body.id_token).toBeUndefined();
    expect(body.refresh_token).toBeUndefined();
    expect(body.scope).toBe('api:read api:write');
    const { payload } = await jwtVerify(body.access_token as string, await publicKeySet(), { issuer: ISSUER, audience: 'https://api.example.com', typ: 'at+jwt' });
    expect(payload.sub).toBe(client.clientId);
    expect(payload.client_id).toBe(client.clientId);
    // RFC 9700 §4.9: only the resource, never the issuer, so userinfo cannot be its audience.
    expect(payload.aud).toBe('https://api.example.com');
    // Not a user token: userinfo refuses it.
    expect((await userinfo(String(body.access_token))).status).toBe(401);
  });

  it('is unauthorized_client for a client with no registered audience: its token would have no resource (RFC 9068 §2.2)', async () => {
    const client = await createClient({ grantTypes: ['client_credentials'], scopes: ['api:read'], audience: null, redirectUris: [] });
    const res = await clientCredentials(client.clientId, client.secret!);
    expect(res.status).toBe(400);
    const body = await res.json<{ error: string; error_description: string; access_token?: string }>();
    expect(body.error).toBe('unauthorized_client');
    expect(body.error_description).toMatch(/audience/);
    expect(body.access_token).toBeUndefined();
  });

  it('grants a requested subset and refuses scopes the client is not allowed', async () => {
    const client = await createClient({ grantTypes: ['client_credentials'], scopes: ['api:read', 'api:write'], audience: 'https://api.example.com', redirectUris: [] });
    const subset = await clientCredentials(client.clientId, client.secret!, { scope: 'api:read' });
    expect((await subset.json<{ scope: string }>()).scope).toBe('api:read');
    for (const scope of ['api:admin', 'openid', 'api:read offline_access']) {
      const res = await clientCredentials(client.clientId, client.secret!, { scope });
      expect(res.status).toBe(400);
      expect((await res.json<{ error: string }>()).error).toBe('invalid_scope');
    }
  });

  it('is unauthorized_client for a client not allowed the grant, and invalid_client with a bad secret', async () => {
    const client = await createClient();
    const res = await clientCredentials(client.clientId, client.secret!);
    expect(res.status).toBe(400);
    expect((await res.json<{ error: string }>()).error).toBe('unauthorized_client');
    const cc = await createClient({ grantTypes: ['client_credentials'], scopes: ['api:read'], audience: 'https://api.example.com', redirectUris: [] });
    const bad = await clientCredentials(cc.clientId, 'wrong');
    expect(bad.status).toBe(401);
    expect((await bad.json<{ error: string }>()).error).toBe('invalid_client');
  });
});
