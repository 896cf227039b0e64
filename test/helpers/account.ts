// Signing in to /account, the provider's own page, as a browser does: GET /account, then the sign-in form.
import { expect } from 'vitest';
import { call, hiddenTx, postLogin, sessionCookie, type TestUser } from './fixtures.ts';

/** The account page's sign-in transaction (no session): what GET /account's form carries. */
export async function accountLoginTx(cookie?: string): Promise<string> {
  const res = await call('/account', cookie ? { headers: { Cookie: cookie } } : {});
  expect(res.status).toBe(200);
  return hiddenTx(await res.text());
}

/** Signs the user in through /account; returns the session cookie. */
export async function signInToAccount(user: TestUser): Promise<string> {
  const res = await postLogin(await accountLoginTx(), user.username, user.password);
  expect(res.status).toBe(303);
  expect(res.headers.get('Location')).toBe('/account');
  return sessionCookie(res);
}

/** GET a page under /account with the session cookie. */
export function getAccount(cookie: string, path = '/account'): Promise<Response> {
  return call(path, { headers: { Cookie: cookie } });
}
