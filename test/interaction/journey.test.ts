import { env } from 'cloudflare:workers';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setUserDisabled } from '../../src/store/cascades.ts';
import { endSession } from '../../src/store/sessions.ts';
import { call, createClient, createUser, exchange, hiddenTx, ISSUER, sessionCookie, signIn } from '../helpers/fixtures.ts';
import { authorizeWithCookie, expectOAuthError, expectRedirect, expectRedirectError, isLoginPage, postLogin, sessionIdHash, tamper, tokensFor, waitForSessionRow } from '../helpers/flow.ts';

const T0 = Date.UTC(2031, 0, 1, 12, 0, 0);

function freezeAt(ms: number): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(ms);
}

afterEach(() => {
  vi.useRealTimers();
});

async function expectLoginForm(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  expect(res.headers.get('Location')).toBeNull();
  const html = await res.text();
  expect(isLoginPage(html)).toBe(true);
  return html;
}

describe('single sign-on', () => {
  it('answers a second /authorize with the session cookie straight away with a code', async () => {
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    const res = await authorizeWithCookie(client, cookie, { state: 'second' });
    const params = expectRedirect(res, client);
    expect(params.get('state')).toBe('second');
    expect(params.get('iss')).toBe(ISSUER);
    const token = await exchange(client, params.get('code')!);
    expect(token.status).toBe(200);
    expect(decodeJwt((await token.json<{ id_token: string }>()).id_token).sub).toBe(user.id);
  });

  it('signs in to a second client without the form', async () => {
    const first = await createClient();
    const second = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(first, user);
    const params = expectRedirect(await authorizeWithCookie(second, cookie), second);
    expect((await exchange(second, params.get('code')!)).status).toBe(200);
  });

  it('ignores a tampered session cookie', async () => {
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    await expectLoginForm(await authorizeWithCookie(client, tamper(cookie)));
  });

  it('ignores the session cookie without its __Host- prefix', async () => {
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    await expectLoginForm(await authorizeWithCookie(client, cookie.replace(/^__Host-/, '')));
  });

  it('ignores a login transaction presented as a session cookie', async () => {
    const client = await createClient();
    const tx = hiddenTx(await (await call(`/authorize?${new URLSearchParams({ response_type: 'code', client_id: client.clientId, redirect_uri: client.redirectUri, scope: 'openid' })}`)).text());
    await expectLoginForm(await authorizeWithCookie(client, `__Host-edge_oidc_session=${tx}`));
  });

  it('shows the login form again with prompt=login', async () => {
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    await expectLoginForm(await authorizeWithCookie(client, cookie, { prompt: 'login' }));
  });

  it('shows the login form again with prompt=select_account', async () => {
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    await expectLoginForm(await authorizeWithCookie(client, cookie, { prompt: 'select_account' }));
  });

  it('issues a code after the login that prompt=login asked for', async () => {
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    const html = await expectLoginForm(await authorizeWithCookie(client, cookie, { prompt: 'login' }));
    const res = await postLogin(hiddenTx(html), user.username, user.password, { Cookie: cookie });
    expectRedirect(res, client, 303);
  });

  it('sets a new session cookie on every login, never reusing the old one', async () => {
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    const html = await expectLoginForm(await authorizeWithCookie(client, cookie, { prompt: 'login' }));
    const res = await postLogin(hiddenTx(html), user.username, user.password, { Cookie: cookie });
    expect(res.status).toBe(303);
    const renewed = sessionCookie(res);
    expect(renewed).not.toBe(cookie);
    expect(await sessionIdHash(renewed)).not.toBe(await sessionIdHash(cookie));
  });

  it('answers prompt=none with a session with a code', async () => {
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    const params = expectRedirect(await authorizeWithCookie(client, cookie, { prompt: 'none' }), client);
    expect(params.get('code')).toBeTruthy();
    expect(params.get('error')).toBeNull();
  });

  it('answers prompt=none with a stale session with login_required', async () => {
    freezeAt(T0);
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    vi.setSystemTime(T0 + 120_000);
    expectRedirectError(await authorizeWithCookie(client, cookie, { prompt: 'none', max_age: '60' }), client, 'login_required');
  });
});

describe('max_age', () => {
  it('shows the login form for max_age=0 even within the same second', async () => {
    freezeAt(T0);
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    await expectLoginForm(await authorizeWithCookie(client, cookie, { max_age: '0' }));
  });

  it('issues a code after the login that max_age=0 asked for', async () => {
    freezeAt(T0);
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    const html = await expectLoginForm(await authorizeWithCookie(client, cookie, { max_age: '0' }));
    const res = await postLogin(hiddenTx(html), user.username, user.password, { Cookie: cookie });
    expectRedirect(res, client, 303);
  });

  it('issues a code when the session is younger than max_age', async () => {
    freezeAt(T0);
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    vi.setSystemTime(T0 + 30_000);
    expectRedirect(await authorizeWithCookie(client, cookie, { max_age: '60' }), client);
    expectRedirect(await authorizeWithCookie(client, cookie, { max_age: '86400' }), client);
  });

  it('shows the login form when the session is older than max_age', async () => {
    freezeAt(T0);
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    vi.setSystemTime(T0 + 61_000);
    await expectLoginForm(await authorizeWithCookie(client, cookie, { max_age: '60' }));
  });
});

describe('auth_time', () => {
  it('is the time of the real login, not of the SSO request', async () => {
    freezeAt(T0);
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    vi.setSystemTime(T0 + 500_000);
    const params = expectRedirect(await authorizeWithCookie(client, cookie), client);
    const tokens = await (await exchange(client, params.get('code')!)).json<{ id_token: string; access_token: string }>();
    const idToken = decodeJwt(tokens.id_token);
    expect(idToken.auth_time).toBe(T0 / 1000);
    expect(idToken.iat).toBe(T0 / 1000 + 500);
    expect(decodeJwt(tokens.access_token).auth_time).toBe(T0 / 1000);
  });

  it('moves to the new login after prompt=login', async () => {
    freezeAt(T0);
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    vi.setSystemTime(T0 + 300_000);
    const html = await expectLoginForm(await authorizeWithCookie(client, cookie, { prompt: 'login' }));
    const res = await postLogin(hiddenTx(html), user.username, user.password, { Cookie: cookie });
    const code = expectRedirect(res, client, 303).get('code')!;
    const tokens = await (await exchange(client, code)).json<{ id_token: string }>();
    expect(decodeJwt(tokens.id_token).auth_time).toBe(T0 / 1000 + 300);
  });
});

describe('id_token_hint', () => {
  it('issues a code with prompt=none when the hint names the signed-in user', async () => {
    const client = await createClient();
    const user = await createUser();
    const { tokens, cookie } = await tokensFor(client, user);
    const params = expectRedirect(await authorizeWithCookie(client, cookie, { prompt: 'none', id_token_hint: tokens.id_token! }), client);
    expect(params.get('code')).toBeTruthy();
  });

  it('answers login_required with prompt=none when the hint names another user', async () => {
    const client = await createClient();
    const alice = await createUser();
    const bob = await createUser();
    const { tokens: bobTokens } = await tokensFor(client, bob);
    const { cookie } = await signIn(client, alice);
    expectRedirectError(await authorizeWithCookie(client, cookie, { prompt: 'none', id_token_hint: bobTokens.id_token! }), client, 'login_required');
  });

  it('shows the login form without prompt=none when the hint names another user', async () => {
    const client = await createClient();
    const alice = await createUser();
    const bob = await createUser();
    const { tokens: bobTokens } = await tokensFor(client, bob);
    const { cookie } = await signIn(client, alice);
    await expectLoginForm(await authorizeWithCookie(client, cookie, { id_token_hint: bobTokens.id_token! }));
  });

  it('accepts an expired id_token as a hint', async () => {
    freezeAt(T0);
    const client = await createClient();
    const user = await createUser();
    const { tokens, cookie } = await tokensFor(client, user);
    vi.setSystemTime(T0 + 7200_000);
    expectRedirect(await authorizeWithCookie(client, cookie, { prompt: 'none', id_token_hint: tokens.id_token! }), client);
  });

  it('refuses a tampered id_token as a hint', async () => {
    const client = await createClient();
    const user = await createUser();
    const { tokens, cookie } = await tokensFor(client, user);
    const hint = tokens.id_token!;
    const payloadAt = hint.indexOf('.') + 10;
    expectRedirectError(await authorizeWithCookie(client, cookie, { id_token_hint: tamper(hint, payloadAt) }), client, 'invalid_request');
  });
});

describe('ended sessions', () => {
  it('stop SSO, and the codes they issued are refused at /token', async () => {
    const client = await createClient();
    const user = await createUser();
    const { cookie, code } = await signIn(client, user);
    const idHash = await waitForSessionRow(cookie);
    const sso = expectRedirect(await authorizeWithCookie(client, cookie), client).get('code')!;
    const now = Math.floor(Date.now() / 1000);
    expect(await endSession(env.DB, { idHash, userId: user.id, authTime: now, expiresAt: now + 3600 }, now)).toBe(true);

    await expectLoginForm(await authorizeWithCookie(client, cookie));
    expectRedirectError(await authorizeWithCookie(client, cookie, { prompt: 'none' }), client, 'login_required');
    await expectOAuthError(await exchange(client, code), 400, 'invalid_grant');
    await expectOAuthError(await exchange(client, sso), 400, 'invalid_grant');
  });

  it('stop SSO once the session lifetime has passed', async () => {
    freezeAt(T0);
    const client = await createClient();
    const user = await createUser();
    const { cookie } = await signIn(client, user);
    await waitForSessionRow(cookie);
    vi.setSystemTime(T0 + 86_401_000);
    await expectLoginForm(await authorizeWithCookie(client, cookie));
  });
});

describe('disabled users', () => {
  it('lose their sessions, and codes issued before are refused at /token', async () => {
    const client = await createClient();
    const user = await createUser();
    const { cookie, code } = await signIn(client, user);
    await waitForSessionRow(cookie);
    await setUserDisabled(env.DB, user.id, true);
    await expectLoginForm(await authorizeWithCookie(client, cookie));
    await expectOAuthError(await exchange(client, code), 400, 'invalid_grant');
  });
});
