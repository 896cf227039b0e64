import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mintEmailVerification } from '../../src/accounts/email-tokens.ts';
import { readConfig } from '../../src/config.ts';
import { digestToken } from '../../src/crypto/digest.ts';
import { findEmailToken } from '../../src/store/email-tokens.ts';
import { findUserById } from '../../src/store/users.ts';
import { authorizeUrl, callWithEnv, createClient, createUser, formWithEnv, hiddenTx, ISSUER, postLogin } from '../helpers/fixtures.ts';
import { authorizeWithCookie, expectErrorPage, isLoginPage, loginTx, refresh, tokensFor } from '../helpers/flow.ts';
import { DEV, hiddenField, mailedLink, outboxFor } from '../helpers/mail.ts';

const NEW_PASSWORD = 'a fresh correct horse';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function requestReset(identifier: string, extra: Record<string, string> = {}): Promise<Response> {
  return formWithEnv(DEV, '/password/forgot', { identifier, ...extra });
}

async function resetLink(email: string): Promise<string> {
  return (await mailedLink(email, '/password/reset')).searchParams.get('token')!;
}

const postReset = (token: string, password = NEW_PASSWORD, confirm = password) =>
  formWithEnv(DEV, '/password/reset', { token, password, confirm });

describe('forgot password: the journey', () => {
  it('goes from the sign-in page to a mailed link, a new password and back to the same sign-in', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const tx = await loginTx(client);
    // The sign-in page's "Forgot password?" posts its form (tx, username) to /password/forgot.
    const ask = await formWithEnv(DEV, '/password/forgot', { tx, username: user.username, password: '' });
    expect(ask.status).toBe(200);
    const askHtml = await ask.text();
    expect(askHtml).toContain(`value="${user.username}"`);
    const sent = await requestReset(user.username, { tx: hiddenTx(askHtml) });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('If an account matches');
    const token = await resetLink(`${user.username}@example.com`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const landing = await callWithEnv(DEV, `/password/reset?token=${token}`);
    expect(landing.status).toBe(200);
    expect(landing.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(landing.headers.get('Cache-Control')).toBe('no-store');
    expect(hiddenField(await landing.text(), 'token')).toBe(token);

    const done = await postReset(token);
    expect(done.status).toBe(200);
    const html = await done.text();
    expect(isLoginPage(html)).toBe(true);
    expect(html).toContain('Your password was changed');
    // Back on the same sign-in: its transaction signs in with the new password and goes on to the client.
    expect((await postLogin(hiddenTx(html), user.username, NEW_PASSWORD)).status).toBe(303);
    expect((await postLogin(await loginTx(client), user.username, user.password)).status).toBe(200);
  });

  it('accepts the email address as well as the username, and uses the token exactly once', async () => {
    const user = await createUser();
    const email = `${user.username}@example.com`;
    await requestReset(email.toUpperCase());
    const token = await resetLink(email);
    expect((await postReset(token)).status).toBe(200);
    await expectErrorPage(await postReset(token, 'another fine passphrase'), 400);
    await expectErrorPage(await callWithEnv(DEV, `/password/reset?token=${token}`), 400);
  });

  it('ends every session and revokes refresh tokens', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const { tokens, cookie } = await tokensFor(client, user, { scope: 'openid offline_access' });
    expect(tokens.refresh_token).toBeDefined();
    await requestReset(user.username);
    await postReset(await resetLink(`${user.username}@example.com`));
    expect(isLoginPage(await (await authorizeWithCookie(client, cookie)).text())).toBe(true);
    const refreshed = await refresh(client, tokens.refresh_token!);
    expect(refreshed.status).toBe(400);
    expect(((await refreshed.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('clears the sign-in lockout of the account', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    for (let i = 0; i < 6; i++) await postLogin(await loginTx(client), user.username, 'wrong');
    expect((await postLogin(await loginTx(client), user.username, user.password)).status).toBe(429);
    await requestReset(user.username);
    await postReset(await resetLink(`${user.username}@example.com`));
    expect((await postLogin(await loginTx(client), user.username, NEW_PASSWORD)).status).toBe(303);
  });

  it('shows a confirmation linking to the client origin once the sign-in transaction has expired', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    await requestReset(user.username, { tx: await loginTx(client) });
    const token = await resetLink(`${user.username}@example.com`);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 20 * 60_000);
    const res = await postReset(token);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Password changed');
    expect(html).toContain(`href="${new URL(client.redirectUri).origin}"`);
  });
});

describe('forgot password: tokens', () => {
  it('expires after 30 minutes', async () => {
    const user = await createUser();
    await requestReset(user.username);
    const token = await resetLink(`${user.username}@example.com`);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 30 * 60_000 + 1000);
    await expectErrorPage(await postReset(token), 400);
    vi.useRealTimers();
    expect((await postLogin(await loginTx(await createClient()), user.username, user.password)).status).toBe(303);
  });

  it('is stored only as its SHA-256, and only the newest link works', async () => {
    const user = await createUser();
    await requestReset(user.username);
    const first = await resetLink(`${user.username}@example.com`);
    const { results } = await env.DB.prepare('SELECT token_hash FROM email_tokens WHERE user_id = ?').bind(user.id).all<{ token_hash: string }>();
    expect(results).toEqual([{ token_hash: await digestToken(first) }]);
    await requestReset(user.username);
    const second = await resetLink(`${user.username}@example.com`);
    expect(second).not.toBe(first);
    await expectErrorPage(await postReset(first), 400);
    expect((await postReset(second)).status).toBe(200);
  });

  it('keeps the link usable when the new password is refused by the policy or mistyped', async () => {
    const user = await createUser();
    await requestReset(user.username);
    const token = await resetLink(`${user.username}@example.com`);
    const weak = await postReset(token, 'password123');
    expect(weak.status).toBe(200);
    expect(await weak.text()).toContain('most commonly used passwords');
    const mismatch = await postReset(token, NEW_PASSWORD, `${NEW_PASSWORD}!`);
    expect(await mismatch.text()).toContain('not the same');
    expect(await findEmailToken(env.DB, await digestToken(token), 'reset', Math.floor(Date.now() / 1000))).not.toBeNull();
    expect((await postReset(token)).status).toBe(200);
  });
});

describe('forgot password: no account enumeration', () => {
  it('answers an unknown name, an account without email and a disabled account exactly like a real one', async () => {
    const [user, noEmail] = await Promise.all([createUser(), createUser({ email: null })]);
    const bodies = [];
    for (const name of [user.username, `nobody-${user.username}`, noEmail.username, 'nobody@example.com']) {
      const res = await requestReset(name);
      expect(res.status).toBe(200);
      bodies.push(await res.text());
    }
    expect(new Set(bodies).size).toBe(1);
    expect(await outboxFor(`${user.username}@example.com`)).toHaveLength(1);
  });
});

describe('forgot password: throttling', () => {
  it('refuses a fourth request for one name within the window, whether or not it exists', async () => {
    for (const name of [(await createUser()).username, `ghost-${Date.now()}`]) {
      for (let i = 0; i < 3; i++) expect((await requestReset(name)).status).toBe(200);
      expect((await requestReset(name)).status).toBe(429);
    }
  });

  it('refuses more than 20 requests from one address', async () => {
    const post = (i: number) => callWithEnv(DEV, '/password/forgot', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER, 'CF-Connecting-IP': '198.51.100.77' },
      body: new URLSearchParams({ identifier: `many-${i}` }).toString(),
    });
    for (let i = 0; i < 20; i++) expect((await post(i)).status).toBe(200);
    expect((await post(20)).status).toBe(429);
  });
});

describe('forgot password: hostile input', () => {
  it('refuses missing, oversized and foreign input with a page, never a 500', async () => {
    expect((await formWithEnv(DEV, '/password/forgot', { identifier: '' })).status).toBe(400);
    expect((await formWithEnv(DEV, '/password/forgot', { identifier: 'x'.repeat(300) })).status).toBe(400);
    await expectErrorPage(await formWithEnv(DEV, '/password/forgot', { identifier: 'a', tx: 'not-a-transaction' }), 400);
    await expectErrorPage(await formWithEnv(DEV, '/password/reset', { password: NEW_PASSWORD, confirm: NEW_PASSWORD }), 400);
    await expectErrorPage(await formWithEnv(DEV, '/password/reset', { token: 'x'.repeat(5000), password: 'p', confirm: 'p' }), 400);
    await expectErrorPage(await callWithEnv(DEV, '/password/reset'), 400);
    await expectErrorPage(await callWithEnv(DEV, `/password/reset?token=${'A'.repeat(43)}`), 400);
  });

  it('refuses a verification token at the reset endpoint (another purpose)', async () => {
    const user = await createUser();
    const message = await mintEmailVerification(env.DB, (await findUserById(env.DB, user.id))!, {
      issuer: ISSUER, branding: readConfig(env).branding, now: Math.floor(Date.now() / 1000),
    });
    const token = /token=([A-Za-z0-9_-]{43})/.exec(message!.text)![1]!;
    await expectErrorPage(await postReset(token), 400);
  });

  it('refuses a cross-site post', async () => {
    const res = await callWithEnv(DEV, '/password/forgot', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
      body: 'identifier=alice',
    });
    expect(res.status).toBe(403);
  });

  it('links the sign-in page to the forgot-password form', async () => {
    const client = await createClient();
    const html = await (await callWithEnv(DEV, authorizeUrl(client))).text();
    expect(html).toContain('formaction="/password/forgot"');
  });
});
