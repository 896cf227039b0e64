// /account: the provider as its own client (sign-in through the journey, back to /account), recent sign-in for changes.
import { env } from 'cloudflare:workers';
import { Hono } from 'hono/tiny';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACCOUNT_CLIENT_ID, RECENT_AUTH_SECONDS } from '../../src/account/client.ts';
import { accountSession, recentSignIn } from '../../src/account/session.ts';
import type { AppEnv } from '../../src/env.ts';
import { services } from '../../src/middleware/services.ts';
import { setUserDisabled } from '../../src/store/cascades.ts';
import { accountLoginTx, getAccount, signInToAccount } from '../helpers/account.ts';
import { call, createUser, ISSUER, postLogin } from '../helpers/fixtures.ts';
import { expectErrorPage, isLoginPage } from '../helpers/flow.ts';

describe('/account', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the sign-in page without a session, then the account page after it', async () => {
    const user = await createUser({ name: 'Ada <b>Lovelace</b>' });
    const first = await call('/account');
    expect(first.status).toBe(200);
    expect(first.headers.get('Cache-Control')).toContain('no-store');
    const html = await first.text();
    expect(isLoginPage(html)).toBe(true);
    expect(html).toContain('your account');
    const cookie = await signInToAccount(user);
    const page = await getAccount(cookie);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain(`Signed in as <strong>${user.username}</strong>`);
    expect(body).toContain('Ada &lt;b&gt;Lovelace&lt;/b&gt;');
  });

  it('refuses a wrong password on its sign-in page like any other', async () => {
    const user = await createUser();
    const res = await postLogin(await accountLoginTx(), user.username, 'wrong-password');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Invalid username or password.');
  });

  it('signs a disabled user out of it', async () => {
    const user = await createUser();
    const cookie = await signInToAccount(user);
    await setUserDisabled(env.DB, user.id, true);
    const res = await getAccount(cookie);
    expect(isLoginPage(await res.text())).toBe(true);
  });

  it('is not a client /authorize knows: its id is refused there', async () => {
    const url = `/authorize?${new URLSearchParams({ client_id: ACCOUNT_CLIENT_ID, redirect_uri: `${ISSUER}/account`, response_type: 'code', scope: 'openid' })}`;
    await expectErrorPage(await call(url));
  });
});

describe('recent sign-in for changes', () => {
  // A section's routes sit behind both middlewares as /account mounts them.
  const app = new Hono<AppEnv>().use(services()).use('*', accountSession()).use('*', recentSignIn()).post('/change', (c) => c.text('changed'));
  const post = (cookie: string) =>
    app.request('/change', { method: 'POST', headers: { Cookie: cookie, Origin: ISSUER } }, env, { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} } as unknown as ExecutionContext);

  it(`allows a change within ${RECENT_AUTH_SECONDS} s of the sign-in, then asks the same user to sign in again`, async () => {
    const user = await createUser();
    const cookie = await signInToAccount(user);
    const now = Date.now();
    expect(await (await post(cookie)).text()).toBe('changed');
    vi.useFakeTimers({ now: now + (RECENT_AUTH_SECONDS + 5) * 1000, toFake: ['Date'] });
    const res = await post(cookie);
    const html = await res.text();
    expect(isLoginPage(html)).toBe(true);
    expect(html).toContain(`value="${user.username}"`);
    vi.useRealTimers();
    // Another user's password cannot satisfy the re-authentication.
    const other = await createUser();
    const tx = /name="tx" value="([^"]+)"/.exec(html)![1]!;
    const wrongUser = await postLogin(tx, other.username, other.password);
    expect(wrongUser.status).toBe(200);
    expect(await wrongUser.text()).toContain('asked for a different account');
    const again = await postLogin(tx, user.username, user.password);
    expect(again.headers.get('Location')).toBe('/account');
  });

  it('sends a POST without a session back to /account', async () => {
    const res = await post('edge_oidc_session=forged');
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/account');
  });
});
