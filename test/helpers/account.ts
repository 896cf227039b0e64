// Signing in to /account, the provider's own page, as a browser does: GET /account, then the sign-in form.
import { expect } from 'vitest';
import { call, form, hiddenTx, postLogin, sessionCookie, type TestUser } from './fixtures.ts';
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
