import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { call, createClient, createUser, exchange, ISSUER, signIn } from '../helpers/fixtures.ts';
import { userinfo } from '../helpers/flow.ts';

describe('authorization code flow, happy path', () => {
  it('signs in, redirects with code, state and iss, and exchanges the code for tokens', async () => {
    const client = await createClient();
    const user = await createUser({ name: 'Ada Lovelace' });
    const { code, location, cookie } = await signIn(client, user);
    expect(location.origin + location.pathname).toBe(client.redirectUri);
    expect(location.searchParams.get('state')).toBe('st-123');
    expect(location.searchParams.get('iss')).toBe(ISSUER);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie).toMatch(/^__Host-edge_oidc_session=/);

    const res = await exchange(client, code);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = await res.json<Record<string, unknown>>();
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(3600);
    expect(body.scope).toBe('openid profile email');

    const keyset = createLocalJWKSet(await (await call('/.well-known/jwks.json')).json<JSONWebKeySet>());
    const idToken = await jwtVerify(body.id_token as string, keyset, { issuer: ISSUER, audience: client.clientId });
    expect(idToken.protectedHeader.alg).toBe('RS256');
    expect(idToken.protectedHeader.kid).toBeTruthy();
    expect(idToken.payload.sub).toBe(user.id);
    expect(idToken.payload.sub).not.toBe(user.username);
    expect(idToken.payload.nonce).toBe('n-456');
    expect(idToken.payload.azp).toBe(client.clientId);
    expect(typeof idToken.payload.auth_time).toBe('number');
    expect(typeof idToken.payload.at_hash).toBe('string');
    expect(idToken.payload.email).toBeUndefined();

    const at = await jwtVerify(body.access_token as string, keyset, { issuer: ISSUER, typ: 'at+jwt' });
    expect(decodeProtectedHeader(body.access_token as string).typ).toBe('at+jwt');
    expect(at.payload).toMatchObject({ sub: user.id, client_id: client.clientId, scope: 'openid profile email', aud: ISSUER });
    expect(at.payload.jti).toBeTruthy();

    const info = await userinfo(String(body.access_token));
    expect(info.status).toBe(200);
    expect(await info.json()).toEqual({
      sub: user.id, name: 'Ada Lovelace', preferred_username: user.username, updated_at: expect.any(Number),
      email: `${user.username}@example.com`, email_verified: true,
    });
  });
});
