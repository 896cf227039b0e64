import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mintInvite } from '../../src/accounts/invites.ts';
import { readConfig } from '../../src/config.ts';
import { digestToken } from '../../src/crypto/digest.ts';
import { findInvite, findInviteForEmail, consumeInviteForEmail } from '../../src/store/invites.ts';
import { findUserByUsername } from '../../src/store/users.ts';
import { callWithEnv, createUser } from '../helpers/fixtures.ts';
import { TURNSTILE_ON, TURNSTILE_PASS, turnstileStandIn } from '../helpers/doubles.ts';
import { expectErrorPage } from '../helpers/flow.ts';
import { DEV, hiddenField, mailedLink, outboxFor } from '../helpers/mail.ts';

const OPEN = { ...DEV, SIGNUP: 'open' } as const;
const INVITE = { ...DEV, SIGNUP: 'invite' } as const;
const PASSWORD = 'a long and quiet meadow';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

let n = 0;
function fresh(overrides: Record<string, string> = {}) {
  const id = `${Date.now().toString(36)}${n++}`;
  return { username: `new-${id}`, email: `new-${id}@example.org`, name: 'New Person', password: PASSWORD, ...overrides };
}

const post = (vars: object, body: Record<string, string>, ip = `203.0.113.${n & 255}`) =>
  callWithEnv(vars, '/signup', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://id.example.test', 'CF-Connecting-IP': ip },
    body: new URLSearchParams(body).toString(),
  });

async function invite(email: string) {
  const config = readConfig({ ...env, ...INVITE });
  return mintInvite(env.DB, email, { issuer: config.issuer, branding: config.branding, now: Math.floor(Date.now() / 1000) });
}
const tokenOf = (url: string) => new URL(url).searchParams.get('invite')!;

describe('sign-up: SIGNUP modes', () => {
  it('closed (the default): no sign-up link on the sign-in page, and /signup refuses', async () => {
    expect(readConfig(env).signup).toBe('closed');
    await expectErrorPage(await callWithEnv(DEV, '/signup'), 404);
    await expectErrorPage(await post(DEV, fresh()), 404);
  });

  it('open: the form, then "check your email"; the account exists unverified and its verification mail arrives', async () => {
    const page = await callWithEnv(OPEN, '/signup');
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const field of ['username', 'email', 'name', 'password']) expect(html).toContain(`name="${field}"`);
    expect(html).not.toContain('cf-turnstile');
    const f = fresh();
    const res = await post(OPEN, f);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Check your email');
    const user = await findUserByUsername(env.DB, f.username);
    expect(user).toMatchObject({ email: f.email, emailVerified: false, name: 'New Person' });
    const link = await mailedLink(f.email, '/email/verify');
    expect(link.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('invite: only with a live invite, whose address is used whatever is posted, and only once', async () => {
    await expectErrorPage(await callWithEnv(INVITE, '/signup'), 400);
    await expectErrorPage(await post(INVITE, fresh()), 400);
    const f = fresh();
    const minted = await invite(f.email);
    const page = await callWithEnv(INVITE, `/signup?invite=${tokenOf(minted.url)}`);
    expect(page.headers.get('Referrer-Policy')).toBe('no-referrer');
    const html = await page.text();
    expect(hiddenField(html, 'invite')).toBe(tokenOf(minted.url));
    expect(html).toContain(`value="${f.email}" readonly`);
    const res = await post(INVITE, { ...f, email: 'someone-else@example.org', invite: tokenOf(minted.url) });
    expect(res.status).toBe(200);
    expect(await findUserByUsername(env.DB, f.username)).toMatchObject({ email: f.email, emailVerified: false });
    expect(await findInvite(env.DB, await digestToken(tokenOf(minted.url)), Math.floor(Date.now() / 1000))).toBeNull();
    // Reused: refused before anything else.
    await expectErrorPage(await post(INVITE, { ...fresh(), invite: tokenOf(minted.url) }), 400);
  });

  it('invite: wrong and expired invites are refused (fake timers)', async () => {
    await expectErrorPage(await post(INVITE, { ...fresh(), invite: 'x'.repeat(43) }), 400);
    await expectErrorPage(await post(INVITE, { ...fresh(), invite: '<script>' }), 400);
    const f = fresh();
    const minted = await invite(f.email);
    vi.useFakeTimers({ now: Date.now() + 7 * 86_400_000 + 1000, toFake: ['Date'] });
    await expectErrorPage(await callWithEnv(INVITE, `/signup?invite=${tokenOf(minted.url)}`), 400);
    await expectErrorPage(await post(INVITE, { ...f, invite: tokenOf(minted.url) }), 400);
  });

  it('an invite for a verified address can be found and consumed once by address (for upstream sign-ins)', async () => {
    const email = fresh().email;
    await invite(email);
    const now = Math.floor(Date.now() / 1000);
    expect(await findInviteForEmail(env.DB, email.toUpperCase(), now)).toMatchObject({ email });
    expect(await consumeInviteForEmail(env.DB, email, now)).toMatchObject({ email });
    expect(await consumeInviteForEmail(env.DB, email, now)).toBeNull();
  });
});

describe('sign-up: taken usernames and addresses answer as success', () => {
  it('same status and page; the owner is told, no account is created', async () => {
    const owner = await createUser();
    const ok = await post(OPEN, fresh());
    const byName = await post(OPEN, fresh({ username: owner.username }));
    const sameEmail = fresh({ email: `${owner.username}@example.com` });
    const byEmail = await post(OPEN, sameEmail);
    const pages = await Promise.all([ok, byName, byEmail].map(async (r) => [r.status, (await r.text()).replace(/value="[^"]*"/g, '')]));
    expect(pages[1]).toEqual(pages[0]);
    expect(pages[2]).toEqual(pages[0]);
    expect(await findUserByUsername(env.DB, sameEmail.username)).toBeNull();
    const mails = await outboxFor(`${owner.username}@example.com`);
    expect(mails.map((m) => m.subject)).toEqual([expect.stringContaining('Someone tried to sign up'), expect.stringContaining('Someone tried to sign up')]);
    expect(mails[1]!.text).toContain('username');
    expect(mails[0]!.text).toContain('email address');
  });
});

describe('sign-up: hostile input', () => {
  it.each([
    ['missing username', { username: '' }, 'Choose a username'],
    ['a space in the username', { username: 'two words' }, 'space characters'],
    ['an oversized username', { username: 'a'.repeat(5000) }, 'too long'],
    ['a bad email', { email: 'not-an-address' }, 'valid email'],
    ['an oversized name', { name: 'n'.repeat(300) }, 'too long'],
    ['a control character in the name', { name: 'a\u0007b' }, 'control characters'],
    ['a weak password', { password: 'password1' }, 'Choose another password'],
    ['a password built on the username', { username: 'carol', password: 'carol2024!' }, 'Choose another password'],
    ['no password', { password: '' }, 'Choose another password'],
  ])('refuses %s with the form again (400), nothing stored', async (_what, overrides, message) => {
    const f = fresh(overrides);
    const res = await post(OPEN, f);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(message);
    expect(await outboxFor(f.email)).toEqual([]);
  });

  it('refuses a cross-site post', async () => {
    const res = await callWithEnv(OPEN, '/signup', {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' }, body: new URLSearchParams(fresh()).toString(),
    });
    expect(res.status).toBe(403);
  });

  it('throttles sign-ups per address', async () => {
    const ip = '198.51.100.77';
    for (let i = 0; i < 10; i++) expect((await post(OPEN, fresh(), ip)).status).toBe(200);
    expect((await post(OPEN, fresh(), ip)).status).toBe(429);
  });
});

describe('sign-up: Turnstile', () => {
  it('configured: the widget is on the form, and a missing or failed token is refused before anything is stored', async () => {
    const received = turnstileStandIn();
    const vars = { ...OPEN, ...TURNSTILE_ON };
    expect(await (await callWithEnv(vars, '/signup')).text()).toContain('data-sitekey="site-key-test"');
    const missing = fresh();
    expect((await post(vars, missing)).status).toBe(400);
    expect(received).toHaveLength(0);
    const failed = fresh({ 'cf-turnstile-response': 'a-token-the-endpoint-rejects' });
    const res = await post(vars, failed, '192.0.2.9');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Complete the challenge');
    expect(received[0]?.get('remoteip')).toBe('192.0.2.9');
    expect(await findUserByUsername(env.DB, failed.username)).toBeNull();
    const passed = fresh({ 'cf-turnstile-response': TURNSTILE_PASS });
    expect((await post(vars, passed)).status).toBe(200);
    expect(await findUserByUsername(env.DB, passed.username)).not.toBeNull();
  });

  it('fails closed when the verify endpoint errs', async () => {
    turnstileStandIn(500);
    const f = fresh({ 'cf-turnstile-response': TURNSTILE_PASS });
    expect((await post({ ...OPEN, ...TURNSTILE_ON }, f)).status).toBe(400);
    expect(await findUserByUsername(env.DB, f.username)).toBeNull();
  });

  it('half a configuration refuses to start', () => {
    expect(() => readConfig({ ...env, TURNSTILE_SITE_KEY: 'k' })).toThrow(/go together/);
    expect(() => readConfig({ ...env, SIGNUP: 'sometimes' })).toThrow(/SIGNUP/);
  });
});
