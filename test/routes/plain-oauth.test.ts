// Plain OAuth 2.0 authorization requests (no openid, or no scope at all): access tokens for a resource, no id_token.
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { authorizeUrl, call, createClient, createUser, exchange, ISSUER, signIn, submitLogin } from '../helpers/fixtures.ts';
import {
  authorizeWithCookie, expectOAuthError, expectRedirectError, isConsentPage, isLoginPage, refresh, tokensFor, userinfo,
  type TokenResponse,
} from '../helpers/flow.ts';

const API = 'https://api.example.com';

describe('a request without openid', () => {
  it('with no scope at all: an access token for the resource, a refresh token, no id_token and no scope', async () => {
    const client = await createClient({ audience: API });
    const { tokens } = await tokensFor(client, await createUser(), { scope: '', nonce: '' });
    expect(tokens.id_token).toBeUndefined();
    expect(tokens.scope).toBeUndefined();
    expect(tokens.refresh_token).toBeTruthy();
    const claims = decodeJwt(tokens.access_token);
    expect(claims.aud).toBe(API);
    expect(claims.scope).toBeUndefined();
  });

  it('is refused by /userinfo: its token lacks the issuer audience', async () => {
    const client = await createClient({ audience: API });
    const { tokens } = await tokensFor(client, await createUser(), { scope: 'profile email' });
    expect(tokens.scope).toBe('profile email');
    const res = await userinfo(tokens.access_token);
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
  });

  it('without any resource or audience: the issuer alone, which /userinfo still refuses for the missing openid scope', async () => {
    const client = await createClient();
    const { tokens } = await tokensFor(client, await createUser(), { scope: 'profile' });
    expect(decodeJwt(tokens.access_token).aud).toBe(ISSUER);
    await expectOAuthError(await userinfo(tokens.access_token), 403, 'insufficient_scope');
  });

  it('refreshes, again with no id_token', async () => {
    const client = await createClient({ audience: API });
    const { tokens } = await tokensFor(client, await createUser(), { scope: '' });
    const res = await refresh(client, tokens.refresh_token!);
    expect(res.status).toBe(200);
    const next = await res.json<TokenResponse>();
    expect(next.id_token).toBeUndefined();
    expect(next.refresh_token).toBeTruthy();
    expect(decodeJwt(next.access_token).aud).toBe(API);
  });

  it('gets no refresh token when the client is not registered for the refresh_token grant', async () => {
    const client = await createClient({ audience: API, grantTypes: ['authorization_code'] });
    const { tokens } = await tokensFor(client, await createUser(), { scope: '' });
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('leaves OpenID requests as they were: a refresh token only with offline_access', async () => {
    const client = await createClient({ audience: API });
    const { tokens } = await tokensFor(client, await createUser(), { scope: 'openid' });
    expect(tokens.id_token).toBeTruthy();
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('shows a third-party client the consent page even with no scope to list', async () => {
    const client = await createClient({ audience: API, firstParty: false });
    const login = await submitLogin(client, await createUser(), { scope: '' });
    expect(login.status).toBe(200);
    expect(isConsentPage(await login.text())).toBe(true);
  });
});

describe('prompt, max_age and id_token_hint without openid', () => {
  it('prompt=none without a session: login_required', async () => {
    const client = await createClient({ audience: API });
    expectRedirectError(await call(authorizeUrl(client, { scope: '', prompt: 'none' })), client, 'login_required');
  });

  it('prompt=none with a session answers at once; max_age=0 and prompt=login ask for a sign-in again', async () => {
    const client = await createClient({ audience: API });
    const user = await createUser();
    const { cookie } = await signIn(client, user, { scope: '' });
    const silent = await authorizeWithCookie(client, cookie, { scope: '', prompt: 'none' });
    expect(silent.status).toBe(302);
    const code = new URL(silent.headers.get('Location')!).searchParams.get('code')!;
    expect((await exchange(client, code)).status).toBe(200);
    expect(isLoginPage(await (await authorizeWithCookie(client, cookie, { scope: '', max_age: '0' })).text())).toBe(true);
    expect(isLoginPage(await (await authorizeWithCookie(client, cookie, { scope: '', prompt: 'login' })).text())).toBe(true);
  });

  it('still checks an id_token_hint', async () => {
    const client = await createClient({ audience: API });
    expectRedirectError(await call(authorizeUrl(client, { scope: '', id_token_hint: 'not-a-jwt' })), client, 'invalid_request');
  });
});
