import { env } from 'cloudflare:workers';
import { decodeJwt, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { deleteClient, setUserDisabled } from '../../../src/store/cascades.ts';
import { createClient, createUser, exchange, formAs, ISSUER, submitLogin, type TestClient, type TestUser } from '../../helpers/fixtures.ts';
import { loginAndAllow, publicKeySet, redeemCode, refresh, userinfo } from '../../helpers/flow.ts';

/** Signs in with offline_access and prompt=consent, allows on the consent page, and exchanges the code. */
async function offlineTokens(client: TestClient, user: TestUser, offline = true) {
  const { location } = await signInThroughConsent(client, user, offline);
  return redeemCode<{ access_token: string; refresh_token?: string; id_token: string; scope: string }>(client, location.searchParams.get('code')!);
}

async function signInThroughConsent(client: TestClient, user: TestUser, offline = true) {
  const params = { scope: 'openid profile offline_access', state: 's', nonce: 'n1', prompt: 'consent' };
  const { login, html, cookie, allowed } = await loginAndAllow(client, user, params);
  expect(login.status).toBe(200);
  expect(html.includes('Stay signed in')).toBe(offline);
  expect(allowed.status).toBe(303);
  return { location: new URL(allowed.headers.get('Location')!), cookie };
}

describe('refresh tokens', () => {
  it('are issued only with offline_access granted through consent', async () => {
    // Third-party: without prompt=consent, offline_access still needs the consent page (first-party clients
    // skip it: test/oauth/consent.test.ts).
    const client = await createClient({ firstParty: false });
    const user = await createUser();
    const withoutPrompt = await submitLogin(client, user, { scope: 'openid offline_access' });
    expect(withoutPrompt.status).toBe(200);
    expect(withoutPrompt.headers.get('Location')).toBeNull();
    expect(await withoutPrompt.text()).toContain('Stay signed in');

    const tokens = await offlineTokens(client, user);
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokens.scope).toBe('openid profile offline_access');
  });

  it('are not issued to a client without the refresh_token grant', async () => {
    const client = await createClient({ grantTypes: ['authorization_code'] });
    const tokens = await offlineTokens(client, await createUser(), false);
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope).toBe('openid profile');
  });

  it('rotate: a refresh returns a new token, keeps sub/aud/auth_time, new iat, no nonce', async () => {
    const client = await createClient();
    const user = await createUser();
    const first = await offlineTokens(client, user);
    const res = await refresh(client, first.refresh_token!);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const second = await res.json<{ refresh_token: string; id_token: string; access_token: string; scope: string }>();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const before = decodeJwt(first.id_token);
    const { payload: after } = await jwtVerify(second.id_token, await publicKeySet(), { issuer: ISSUER, audience: client.clientId });
    expect(after.sub).toBe(before.sub);
    expect(after.auth_time).toBe(before.auth_time);
    expect(before.nonce).toBe('n1');
    expect(after.nonce).toBeUndefined();
    expect(after.iat).toBeGreaterThanOrEqual(before.iat!);
    const info = await userinfo(second.access_token);
    expect(info.status).toBe(200);
  });

  it('detects reuse: the old token again is invalid_grant and revokes the whole family', async () => {
    const client = await createClient();
    const first = await offlineTokens(client, await createUser());
    const second = await (await refresh(client, first.refresh_token!)).json<{ refresh_token: string; access_token: string }>();
    const reuse = await refresh(client, first.refresh_token!);
    expect(reuse.status).toBe(400);
    expect((await reuse.json<{ error: string }>()).error).toBe('invalid_grant');
    const descendant = await refresh(client, second.refresh_token);
    expect((await descendant.json<{ error: string }>()).error).toBe('invalid_grant');
    const info = await userinfo(second.access_token);
    expect(info.status).toBe(401);
  });

  it('concurrent refreshes of one token: exactly one success', async () => {
    const client = await createClient();
    const first = await offlineTokens(client, await createUser());
    const responses = await Promise.all(Array.from({ length: 8 }, () => refresh(client, first.refresh_token!)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(7);
  });

  it("another client's refresh token is invalid_grant (400), not invalid_client", async () => {
    const owner = await createClient();
    const thief = await createClient();
    const tokens = await offlineTokens(owner, await createUser());
    const res = await refresh(thief, tokens.refresh_token!);
    expect(res.status).toBe(400);
    expect((await res.json<{ error: string }>()).error).toBe('invalid_grant');
    expect((await refresh(owner, tokens.refresh_token!)).status).toBe(200);
  });

  it('may narrow the scope; a wider scope is invalid_scope', async () => {
    const client = await createClient();
    const tokens = await offlineTokens(client, await createUser());
    const wider = await refresh(client, tokens.refresh_token!, { scope: 'openid profile email' });
    expect(wider.status).toBe(400);
    expect((await wider.json<{ error: string }>()).error).toBe('invalid_scope');
    // The refused request did not use up the token.
    const narrower = await refresh(client, tokens.refresh_token!, { scope: 'openid' });
    expect(narrower.status).toBe(200);
    const body = await narrower.json<{ scope: string; refresh_token: string }>();
    expect(body.scope).toBe('openid');
    // The rotated refresh token keeps the original grant (RFC 6749 §6).
    const again = await refresh(client, body.refresh_token, { scope: 'openid profile' });
    expect(again.status).toBe(200);
  });

  it('garbage, missing and oversized refresh tokens are invalid_grant / invalid_request', async () => {
    const client = await createClient();
    expect((await (await refresh(client, 'nope')).json<{ error: string }>()).error).toBe('invalid_grant');
    const missing = await formAs(client, '/token', { grant_type: 'refresh_token' });
    expect((await missing.json<{ error: string }>()).error).toBe('invalid_request');
    expect((await refresh(client, 'x'.repeat(5000))).status).toBe(400);
  });

  it('a replayed authorization code revokes the refresh tokens it produced', async () => {
    const client = await createClient();
    const user = await createUser();
    const { location } = await signInThroughConsent(client, user);
    const code = location.searchParams.get('code')!;
    const tokens = await (await exchange(client, code)).json<{ refresh_token: string }>();
    expect((await exchange(client, code)).status).toBe(400);
    expect((await refresh(client, tokens.refresh_token)).status).toBe(400);
  });

  it('disabling the user or deleting the client revokes refresh tokens', async () => {
    const client = await createClient();
    const user = await createUser();
    const a = await offlineTokens(client, user);
    await setUserDisabled(env.DB, user.id, true);
    expect((await refresh(client, a.refresh_token!)).status).toBe(400);

    const client2 = await createClient();
    const b = await offlineTokens(client2, await createUser());
    await deleteClient(env.DB, client2.clientId);
    const { results } = await env.DB.prepare('SELECT revoked_at FROM refresh_tokens WHERE client_id = ?').bind(client2.clientId).all<{ revoked_at: number | null }>();
    expect(results.length).toBe(1);
    expect(results[0]!.revoked_at).not.toBeNull();
    expect((await userinfo(b.access_token)).status).toBe(401);
  });
});

describe('refresh tokens and the access token audience (RFC 9700 §4.9)', () => {
  it('mints a token meant only for the resource when the refresh drops openid, and /userinfo refuses it', async () => {
    const client = await createClient({ audience: 'https://api.example.com' });
    const first = await offlineTokens(client, await createUser());
    expect(decodeJwt(first.access_token).aud).toEqual(['https://api.example.com', ISSUER]);
    const res = await refresh(client, first.refresh_token!, { scope: 'profile' });
    expect(res.status).toBe(200);
    const narrowed = await res.json<{ access_token: string; id_token?: string }>();
    expect(narrowed.id_token).toBeUndefined();
    expect(decodeJwt(narrowed.access_token).aud).toBe('https://api.example.com');
    const refused = await userinfo(narrowed.access_token);
    expect(refused.status).toBe(401);
    expect((await refused.json<{ error: string }>()).error).toBe('invalid_token');
  });
});
