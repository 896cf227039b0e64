import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deleteClient, setUserDisabled } from '../../src/store/cascades.ts';
import { clearClientCache, updateRedirectUris } from '../../src/store/clients.ts';
import { authorizeUrl, call, createClient, createUser, exchange, form, hiddenTx, ISSUER, sessionCookie } from '../helpers/fixtures.ts';
import { expectErrorPage, expectRedirect, isLoginPage, loginTx, postLogin, tamper, userinfo } from '../helpers/flow.ts';

const INVALID = 'Invalid username or password.';

function alertText(html: string): string | null {
  return /<p class="alert" role="alert"[^>]*>([^<]*)<\/p>/.exec(html)?.[1] ?? null;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('POST /login with bad credentials', () => {
  it('answers 200 (the form again) with the generic message and no session for a wrong password', async () => {
    const client = await createClient();
    const user = await createUser();
    const res = await postLogin(await loginTx(client), user.username, 'wrong-password');
    expect(res.status).toBe(200);
    expect(res.headers.get('Set-Cookie')).toBeNull();
    expect(res.headers.get('Location')).toBeNull();
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    const html = await res.text();
    expect(alertText(html)).toBe(INVALID);
    expect(isLoginPage(html)).toBe(true);
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const client = await createClient();
    const user = await createUser();
    const wrong = await postLogin(await loginTx(client), user.username, 'wrong-password');
    const unknown = await postLogin(await loginTx(client), `nobody-${user.username}`, 'wrong-password');
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.headers.get('Set-Cookie')).toBeNull();
    expect(alertText(await unknown.text())).toBe(alertText(await wrong.text()));
  });

  it('keeps the username in the form after a failure, and a fresh tx that still works', async () => {
    const client = await createClient();
    const user = await createUser();
    const res = await postLogin(await loginTx(client), user.username, 'wrong-password');
    const html = await res.text();
    expect(html).toMatch(new RegExp(`<input[^>]*name="username"[^>]*value="${user.username}"`));
    expect(html).not.toContain('wrong-password');
    const retry = await postLogin(hiddenTx(html), user.username, user.password);
    expect(retry.status).toBe(303);
  });

  it('escapes markup in the username it echoes', async () => {
    const client = await createClient();
    const res = await postLogin(await loginTx(client), '"><script>alert(1)</script>', 'x');
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain('<script>');
  });

  it.each([
    ['an empty username', { username: '', password: 'x' }],
    ['an empty password', { username: 'someone', password: '' }],
    ['a username over 256 characters', { username: 'u'.repeat(257), password: 'x' }],
    ['a password over 1024 characters', { username: 'someone', password: 'p'.repeat(1025) }],
  ])('refuses %s, showing the form again', async (_, fields) => {
    const client = await createClient();
    const res = await form('/login', { tx: await loginTx(client), ...fields });
    expect(res.status).toBe(200);
    expect(res.headers.get('Set-Cookie')).toBeNull();
    expect(alertText(await res.text())).toBe(INVALID);
  });

  it('refuses a disabled user with the right password, and sets no session', async () => {
    const client = await createClient();
    const user = await createUser();
    await setUserDisabled(env.DB, user.id, true);
    const res = await postLogin(await loginTx(client), user.username, user.password);
    expect(res.status).toBe(200);
    expect(res.headers.get('Set-Cookie')).toBeNull();
    expect(res.headers.get('Location')).toBeNull();
  });

  it('never writes the password to the audit log', async () => {
    const client = await createClient();
    const user = await createUser();
    const password = `secret-${crypto.randomUUID()}`;
    await postLogin(await loginTx(client), user.username, password);
    const { results } = await env.DB.prepare('SELECT * FROM audit_events WHERE user_id = ?').bind(user.id).all();
    expect(results.length).toBeGreaterThan(0);
    expect(JSON.stringify(results)).not.toContain(password);
  });
});

describe('POST /login with a bad transaction', () => {
  it('refuses a tampered tx with a 400 page', async () => {
    const client = await createClient();
    const user = await createUser();
    const res = await postLogin(tamper(await loginTx(client)), user.username, user.password);
    const html = await expectErrorPage(res);
    expect(html).toContain('expired or was altered');
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });

  it('refuses a tx whose signature was changed', async () => {
    const client = await createClient();
    const user = await createUser();
    const tx = await loginTx(client);
    const res = await postLogin(tamper(tx, tx.lastIndexOf('.') + 5), user.username, user.password);
    expect(await expectErrorPage(res)).toContain('expired or was altered');
  });

  it('refuses a missing tx with a 400 page', async () => {
    const user = await createUser();
    const res = await form('/login', { username: user.username, password: user.password });
    expect(await expectErrorPage(res)).toContain('expired or was altered');
  });

  it('refuses a tx older than ten minutes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const client = await createClient();
    const user = await createUser();
    const tx = await loginTx(client);
    vi.setSystemTime(Date.now() + 601_000);
    const res = await postLogin(tx, user.username, user.password);
    expect(await expectErrorPage(res)).toContain('expired or was altered');
  });

  it('refuses a tx whose client was deleted since', async () => {
    const client = await createClient();
    const user = await createUser();
    const tx = await loginTx(client);
    await deleteClient(env.DB, client.clientId);
    clearClientCache();
    const res = await postLogin(tx, user.username, user.password);
    expect(await expectErrorPage(res)).toContain('no longer registered');
  });

  it('refuses a tx whose redirect URI was unregistered since', async () => {
    const client = await createClient();
    const user = await createUser();
    const tx = await loginTx(client);
    await updateRedirectUris(env.DB, client.clientId, ['https://app.example.com/other']);
    clearClientCache();
    const res = await postLogin(tx, user.username, user.password);
    expect(await expectErrorPage(res)).toContain('no longer registered');
  });
});

describe('POST /login CSRF protection', () => {
  async function attempt(headers: Record<string, string>): Promise<Response> {
    const client = await createClient();
    const user = await createUser();
    const tx = await loginTx(client);
    return call('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ tx, username: user.username, password: user.password }).toString(),
    });
  }

  it('refuses a POST with neither Origin nor Sec-Fetch-Site', async () => {
    const res = await attempt({});
    expect(res.status).toBe(403);
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });

  it('refuses a POST from a foreign Origin', async () => {
    expect((await attempt({ Origin: 'https://evil.example' })).status).toBe(403);
  });

  it('refuses a POST from the issuer host over http', async () => {
    expect((await attempt({ Origin: 'http://id.example.test' })).status).toBe(403);
  });

  it('refuses a POST with Origin null', async () => {
    expect((await attempt({ Origin: 'null' })).status).toBe(403);
  });

  it('refuses a cross-site Sec-Fetch-Site without Origin', async () => {
    expect((await attempt({ 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
  });

  it('refuses a text/plain POST from a foreign Origin', async () => {
    const res = await attempt({ Origin: 'https://evil.example', 'Content-Type': 'text/plain' });
    expect(res.status).toBe(403);
  });

  it('accepts a same-origin Sec-Fetch-Site without Origin', async () => {
    expect((await attempt({ 'Sec-Fetch-Site': 'same-origin' })).status).toBe(303);
  });

  it('accepts the issuer Origin', async () => {
    expect((await attempt({ Origin: ISSUER })).status).toBe(303);
  });

  it('does not sign in through a JSON body', async () => {
    const client = await createClient();
    const user = await createUser();
    const tx = await loginTx(client);
    const res = await call('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: JSON.stringify({ tx, username: user.username, password: user.password }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });
});

describe('POST /login success', () => {
  it('redirects 303 with code, state and iss', async () => {
    const client = await createClient();
    const user = await createUser();
    const res = await postLogin(await loginTx(client, { state: 'ok state' }), user.username, user.password);
    const params = expectRedirect(res, client, 303);
    expect(params.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).toBe('ok state');
    expect(params.get('iss')).toBe(ISSUER);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('sets a __Host- session cookie that is HttpOnly, Secure, SameSite=Lax and Path=/', async () => {
    const client = await createClient();
    const user = await createUser();
    const res = await postLogin(await loginTx(client), user.username, user.password);
    const setCookie = res.headers.get('Set-Cookie')!;
    expect(setCookie).toMatch(/^__Host-edge_oidc_session=[\w-]+\.[\w-]+\.[\w-]+;/);
    const attributes = setCookie.split(';').slice(1).map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('secure');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    expect(attributes).toContain('max-age=86400');
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
  });

  it('treats the username case-insensitively', async () => {
    const client = await createClient();
    const user = await createUser({ username: `Mixed-${crypto.randomUUID().slice(0, 8)}` });
    const res = await postLogin(await loginTx(client), user.username.toUpperCase(), user.password);
    expect(res.status).toBe(303);
    const code = new URL(res.headers.get('Location')!).searchParams.get('code')!;
    const tokens = await (await exchange(client, code)).json<{ access_token: string }>();
    const info = await (await userinfo(tokens.access_token)).json<{ sub: string }>();
    expect(info.sub).toBe(user.id);
  });

  it('ignores spaces around the username', async () => {
    const client = await createClient();
    const user = await createUser();
    const res = await postLogin(await loginTx(client), `  ${user.username} `, user.password);
    expect(res.status).toBe(303);
  });

  it('does not trim or fold the password', async () => {
    const client = await createClient();
    const user = await createUser();
    const tx = await loginTx(client);
    expect((await postLogin(tx, user.username, ` ${user.password}`)).status).toBe(200);
    expect((await postLogin(tx, user.username, user.password.toUpperCase())).status).toBe(200);
  });

  it('starts a session the browser can reuse', async () => {
    const client = await createClient();
    const user = await createUser();
    const res = await postLogin(await loginTx(client), user.username, user.password);
    const again = await call(authorizeUrl(client), { headers: { Cookie: sessionCookie(res) } });
    expectRedirect(again, client);
  });
});

describe('POST /login routing', () => {
  it('cannot be reached around the CSRF check through a trailing slash', async () => {
    const client = await createClient();
    const user = await createUser();
    const res = await form('/login/', { tx: await loginTx(client), username: user.username, password: user.password }, { Origin: 'https://evil.example' });
    expect([403, 404]).toContain(res.status);
    expect(res.headers.get('Set-Cookie')).toBeNull();
    expect(res.headers.get('Location')).toBeNull();
  });

  it('has no GET handler', async () => {
    expect((await call('/login')).status).toBe(404);
  });
});
