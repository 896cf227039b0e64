// id_token_hint: only our id_tokens for a registered client count (RFC 8725 §3.11), and they bind the sign-in.
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { signAccessToken, signIdToken } from '../../src/crypto/jwt.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { call, createClient, createUser, hiddenTx, ISSUER } from '../helpers/fixtures.ts';
import { authorizeWithCookie, expectErrorPage, expectRedirect, expectRedirectError, isLoginPage, keySet, postLogin, tokensFor } from '../helpers/flow.ts';

const POST_LOGOUT = 'https://app.example.com/signed-out';

describe('id_token_hint must be an id_token', () => {
  it('/authorize refuses one of our access tokens as the hint', async () => {
    const client = await createClient();
    const user = await createUser();
    const { tokens, cookie } = await tokensFor(client, user);
    expect(decodeJwt(tokens.access_token).sub).toBe(user.id);
    expectRedirectError(await authorizeWithCookie(client, cookie, { prompt: 'none', id_token_hint: tokens.access_token }), client, 'invalid_request');
    expectRedirect(await authorizeWithCookie(client, cookie, { prompt: 'none', id_token_hint: tokens.id_token! }), client);
  });

  it('/authorize refuses an id_token whose audience is not a registered client', async () => {
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await tokensFor(client, user);
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: ISSUER, sub: user.id, iat: now, exp: now + 300 };
    const ghost = await signIdToken(await keySet(), 'RS256', { ...claims, aud: 'no-such-client' });
    expectRedirectError(await authorizeWithCookie(client, cookie, { prompt: 'none', id_token_hint: ghost }), client, 'invalid_request');
    const noAud = await signIdToken(await keySet(), 'RS256', claims);
    expectRedirectError(await authorizeWithCookie(client, cookie, { prompt: 'none', id_token_hint: noAud }), client, 'invalid_request');
    // Issued to another registered client: still a valid hint (OIDC Core §3.1.2.1 does not tie it to the requester).
    const other = await createClient();
    const foreign = await signIdToken(await keySet(), 'RS256', { ...claims, aud: other.clientId });
    expectRedirect(await authorizeWithCookie(client, cookie, { prompt: 'none', id_token_hint: foreign }), client);
  });

  it('/logout refuses one of our access tokens as the hint and keeps the session', async () => {
    // The access token's audience is a registered client id, so only the typ tells it from an id_token.
    const clientId = `api-${randomToken(6)}`;
    const client = await createClient({ clientId, audience: clientId, postLogoutRedirectUris: [POST_LOGOUT] });
    const user = await createUser();
    const { tokens, cookie } = await tokensFor(client, user);
    // An openid token's aud also names the issuer; re-signed with the client id alone, only its typ is wrong.
    const accessToken = await signAccessToken(await keySet(), 'ES256', { ...decodeJwt(tokens.access_token), aud: clientId });
    const res = await call(`/logout?${new URLSearchParams({ id_token_hint: accessToken, post_logout_redirect_uri: POST_LOGOUT })}`, { headers: { Cookie: cookie } });
    await expectErrorPage(res);
    expect(res.headers.get('Set-Cookie')).toBeNull();
    expectRedirect(await authorizeWithCookie(client, cookie, { prompt: 'none' }), client);
  });
});

describe('a hint for one user, a sign-in as another', () => {
  it('re-renders the form without a session and without naming the hinted account', async () => {
    const client = await createClient();
    const alice = await createUser();
    const bob = await createUser();
    const { tokens } = await tokensFor(client, alice);
    const page = await call(`/authorize?${new URLSearchParams({
      response_type: 'code', client_id: client.clientId, redirect_uri: client.redirectUri, scope: 'openid', state: 'st-123',
      id_token_hint: tokens.id_token!,
    })}`);
    const tx = hiddenTx(await page.text());
    const asBob = await postLogin(tx, bob.username, bob.password);
    expect(asBob.status).toBe(200);
    expect(asBob.headers.get('Location')).toBeNull();
    expect(asBob.headers.get('Set-Cookie')).toBeNull();
    const html = await asBob.text();
    expect(isLoginPage(html)).toBe(true);
    expect(html).toContain('asked for a different account');
    expect(html).not.toContain(alice.username);
    expect(html).not.toContain(alice.id);

    const asAlice = await postLogin(hiddenTx(html), alice.username, alice.password);
    expect(expectRedirect(asAlice, client, 303).get('code')).toBeTruthy();
  });

  it('a wrong password for another account gets the usual generic error', async () => {
    const client = await createClient();
    const alice = await createUser();
    const bob = await createUser();
    const { tokens } = await tokensFor(client, alice);
    const page = await call(`/authorize?${new URLSearchParams({
      response_type: 'code', client_id: client.clientId, redirect_uri: client.redirectUri, scope: 'openid', id_token_hint: tokens.id_token!,
    })}`);
    const res = await postLogin(hiddenTx(await page.text()), bob.username, 'wrong-password');
    const html = await res.text();
    expect(html).toContain('Invalid username or password.');
    expect(html).not.toContain('asked for a different account');
  });
});
