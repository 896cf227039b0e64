// Signing in to /account, the provider's own page, as a browser does: GET /account, then the sign-in form.
import { expect } from 'vitest';
import { call, callWithEnv, form, hiddenTx, ISSUER, postLogin, sessionCookie, type TestUser } from './fixtures.ts';
import { waitForSessionRow } from './flow.ts';
import { DEV } from './mail.ts';
import { type SoftAuthenticator, webauthnBlock } from './webauthn.ts';

/** The account page's sign-in transaction (no session): what GET /account's form carries. */
export async function accountLoginTx(cookie?: string): Promise<string> {
  const res = await call('/account', cookie ? { headers: { Cookie: cookie } } : {});
  expect(res.status).toBe(200);
  return hiddenTx(await res.text());
}

/**
 * Signs the user in through /account; returns the session cookie. A user with a passkey is asked for it as the
 * second factor (MFA_POLICY=optional, the default): `passkey` answers that page, and the raised session's cookie
 * is returned.
 */
export async function signInToAccount(user: TestUser, passkey?: SoftAuthenticator): Promise<string> {
  const res = await postLogin(await accountLoginTx(), user.username, user.password);
  if (!passkey) {
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/account');
    return sessionCookie(res);
  }
  expect(res.status).toBe(200);
  const page = await res.text();
  expect(page).toContain('action="/login/second-factor"');
  const raised = await form('/login/second-factor', { tx: hiddenTx(page), factor: 'passkey', credential: await passkey.assert(webauthnBlock(page).challenge) }, { Cookie: sessionCookie(res) });
  expect(raised.status).toBe(303);
  expect(raised.headers.get('Location')).toBe('/account');
  return sessionCookie(raised);
}

/** GET a page under /account with the session cookie. */
export function getAccount(cookie: string, path = '/account'): Promise<Response> {
  return call(path, { headers: { Cookie: cookie } });
}

/** Signs in to /account in dev mode (mail goes to the outbox) from a browser these headers describe; waits for its row. */
export async function signInToAccountFrom(user: TestUser, headers: Record<string, string> = {}, cf?: Record<string, string>): Promise<string> {
  const tx = await accountLoginTx();
  const res = await callWithEnv(DEV, '/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER, ...headers },
    body: new URLSearchParams({ tx, username: user.username, password: user.password }).toString(),
    ...(cf ? { cf } : {}),
  });
  expect(res.status).toBe(303);
  const cookie = sessionCookie(res);
  await waitForSessionRow(cookie);
  return cookie;
}

/** A same-origin form post to a page under /account with the session cookie, in dev mode (waitUntil awaited). */
export function postAccount(cookie: string, path: string, body: Partial<Record<string, string>> | string, headers: Record<string, string> = {}): Promise<Response> {
  return callWithEnv(DEV, path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER, Cookie: cookie, ...headers },
    body: typeof body === 'string' ? body : new URLSearchParams(Object.entries(body).filter((e): e is [string, string] => e[1] !== undefined)).toString(),
  });
}
