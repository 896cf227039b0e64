import { describe, expect, it } from 'vitest';
import { call, createClient, createUser, exchange, form, hiddenTx, ISSUER, signIn, authorizeUrl } from '../helpers/fixtures.ts';
import { authorizeWithCookie, expectRedirect } from '../helpers/flow.ts';

const POST_LOGOUT = 'https://app.example.com/signed-out';

async function signedInWithIdToken() {
  const client = await createClient({ postLogoutRedirectUris: [POST_LOGOUT] });
  const user = await createUser();
  const { code, cookie } = await signIn(client, user);
  const { id_token } = await (await exchange(client, code)).json<{ id_token: string }>();
  return { client, user, cookie, idToken: id_token };
}

describe('RP-initiated logout', () => {
  it('with a matching id_token_hint: ends the session at once and redirects to the registered URI with state', async () => {
    const { client, cookie, idToken } = await signedInWithIdToken();
    const res = await call(`/logout?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: POST_LOGOUT, state: 'bye 1' })}`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe(`${POST_LOGOUT}?state=bye+1`);
    expect(res.headers.get('Set-Cookie')).toMatch(/edge_oidc_session=;.*Max-Age=0/i);
    // The ended session no longer gives SSO.
    const again = await call(authorizeUrl(client), { headers: { Cookie: cookie } });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('name="password"');
  });

  it('never redirects to an unregistered post_logout_redirect_uri', async () => {
    const { client, cookie, idToken } = await signedInWithIdToken();
    for (const uri of ['https://evil.example.com/', `${POST_LOGOUT}/x`, `${POST_LOGOUT}?a=1`]) {
      const res = await call(`/logout?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: uri })}`, { headers: { Cookie: cookie } });
      expect(res.status).toBe(400);
      expect(res.headers.get('Location')).toBeNull();
    }
    const noClient = await call(`/logout?${new URLSearchParams({ post_logout_redirect_uri: POST_LOGOUT })}`);
    expect(noClient.status).toBe(400);
    const mismatch = await call(`/logout?${new URLSearchParams({ id_token_hint: idToken, client_id: 'other' })}`);
    expect(mismatch.status).toBe(400);
    const forged = await call(`/logout?${new URLSearchParams({ id_token_hint: `${idToken}x`, client_id: client.clientId })}`);
    expect(forged.status).toBe(400);
  });

  it('without an id_token_hint: asks for confirmation, then signs out on a same-origin POST', async () => {
    const { client, cookie } = await signedInWithIdToken();
    const page = await call(`/logout?${new URLSearchParams({ client_id: client.clientId, post_logout_redirect_uri: POST_LOGOUT, state: 's' })}`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Sign out?');
    const tx = hiddenTx(html);
    const foreign = await form('/logout/confirm', { tx, decision: 'logout' }, { Cookie: cookie, Origin: 'https://evil.example.com' });
    expect(foreign.status).toBe(403);
    const stay = await form('/logout/confirm', { tx, decision: 'stay' }, { Cookie: cookie });
    expect(stay.status).toBe(303);
    expect((await call(authorizeUrl(client), { headers: { Cookie: cookie } })).status).toBe(302);
    const res = await form('/logout/confirm', { tx, decision: 'logout' }, { Cookie: cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`${POST_LOGOUT}?state=s`);
    expect((await call(authorizeUrl(client), { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('a confirmation shown for one session asks again, and ends nothing, when the browser has signed in since', async () => {
    const { client, user, cookie } = await signedInWithIdToken();
    const page = await call(`/logout?${new URLSearchParams({ client_id: client.clientId })}`, { headers: { Cookie: cookie } });
    const tx = hiddenTx(await page.text());
    const { cookie: newer } = await signIn(client, user);
    const res = await form('/logout/confirm', { tx, decision: 'logout' }, { Cookie: newer });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Sign out?');
    expect(hiddenTx(html)).not.toBe(tx);
    expect(res.headers.get('Set-Cookie')).toBeNull();
    expect((await call(authorizeUrl(client), { headers: { Cookie: newer } })).status).toBe(302);
  });

  it('without a session or target: a signed-out page', async () => {
    const res = await call('/logout');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are signed out');
  });
});

// RP-Initiated Logout §2 leaves CSRF to the OP: the session cookie is deleted only when a session was read and
// the request is ours (same origin) or names the session's user by a valid id_token_hint.
describe('logout and cross-site requests', () => {
  const CROSS_SITE = { Origin: 'https://evil.example.com', 'Sec-Fetch-Site': 'cross-site' };
  const deletesSession = (res: Response) => /edge_oidc_session=;/.test(res.headers.get('Set-Cookie') ?? '');

  it('a cross-site POST without the cookie (SameSite=Lax) deletes nothing', async () => {
    const res = await form('/logout', {}, CROSS_SITE);
    expect(res.status).toBe(200);
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });

  it('a cross-site POST that carries the cookie but no hint asks first and keeps the session', async () => {
    const { client, cookie } = await signedInWithIdToken();
    const res = await form('/logout', {}, { ...CROSS_SITE, Cookie: cookie });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Sign out?');
    expect(deletesSession(res)).toBe(false);
    expectRedirect(await authorizeWithCookie(client, cookie, { prompt: 'none' }), client);
  });

  it('a same-origin POST with the session signs out (by Origin or by Sec-Fetch-Site)', async () => {
    const client = await createClient();
    const sameOrigin: Record<string, string>[] = [{ Origin: ISSUER }, { Origin: '', 'Sec-Fetch-Site': 'same-origin' }];
    for (const headers of sameOrigin) {
      const { cookie } = await signIn(client, await createUser());
      const res = await form('/logout', {}, { ...headers, Cookie: cookie });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('You are signed out');
      expect(deletesSession(res)).toBe(true);
      expect((await authorizeWithCookie(client, cookie)).status).toBe(200);
    }
  });

  it('a cross-site POST with the cookie and a valid hint for its user signs out', async () => {
    const { client, cookie, idToken } = await signedInWithIdToken();
    const res = await form('/logout', { id_token_hint: idToken }, { ...CROSS_SITE, Cookie: cookie });
    expect(deletesSession(res)).toBe(true);
    expect((await authorizeWithCookie(client, cookie)).status).toBe(200);
  });
});
