// Security notices (flow 6): a new device's sign-in, the kinds other code sends, and the single-use "this wasn't me" link.
import { env } from 'cloudflare:workers';
import { Hono } from 'hono/tiny';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NOT_ME_TTL_SECONDS, sendSecurityNotice } from '../../src/account/notices.ts';
import type { AppEnv } from '../../src/env.ts';
import { services } from '../../src/middleware/services.ts';
import { queryAuditEvents } from '../../src/store/audit.ts';
import { insertSession } from '../../src/store/sessions.ts';
import { findUserById } from '../../src/store/users.ts';
import { getAccount, signInToAccountFrom } from '../helpers/account.ts';
import { callWithEnv, createClient, createUser, formWithEnv, ISSUER, type TestUser } from '../helpers/fixtures.ts';
import { expectErrorPage, isLoginPage, refresh, tokensFor } from '../helpers/flow.ts';
import { DEV, hiddenField, mailedLink, outboxFor } from '../helpers/mail.ts';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

afterEach(() => {
  vi.useRealTimers();
});

const address = (user: TestUser) => `${user.username}@example.com`;
const notMeToken = async (user: TestUser) => (await mailedLink(address(user), '/email/not-me')).searchParams.get('token')!;

/** sendSecurityNotice as the passkey or TOTP code calls it, from a route of their own. */
async function notify(user: TestUser, kind: 'passkey' | 'mfa'): Promise<void> {
  const app = new Hono<AppEnv>().use(services()).post('/changed', async (c) => {
    const stored = (await findUserById(c.env.DB, user.id))!;
    sendSecurityNotice(c, stored, kind);
    return c.text('ok');
  });
  const waits: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => waits.push(p), passThroughOnException: () => undefined, props: {} };
  await app.request('/changed', { method: 'POST' }, { ...env, ...DEV }, ctx as unknown as ExecutionContext);
  await Promise.all(waits);
}

describe('new-device notices', () => {
  it('mails a notice when a browser none of the earlier sessions had signs in, with where it was', async () => {
    const user = await createUser();
    await signInToAccountFrom(user, { 'User-Agent': FIREFOX });
    expect(await outboxFor(address(user))).toHaveLength(0);
    await signInToAccountFrom(user, { 'User-Agent': FIREFOX });
    expect(await outboxFor(address(user))).toHaveLength(0);
    await signInToAccountFrom(user, { 'User-Agent': CHROME, 'CF-Connecting-IP': '203.0.113.9' }, { country: 'FR', city: 'Paris' });
    const [notice] = await outboxFor(address(user));
    expect(notice!.subject).toContain('New sign-in to your account');
    expect(notice!.text).toContain('Where: Chrome on Windows, Paris, FR (203.0.113.9).');
    await notMeToken(user);
  });

  it('sends none at the first sign-in after the upgrade: sessions recorded without a device do not count', async () => {
    const user = await createUser();
    const now = Math.floor(Date.now() / 1000);
    // A row as migration 0015 found it: no user agent, no address.
    await insertSession(env.DB, { idHash: `old-${user.id}`, userId: user.id, authTime: now - 60, expiresAt: now + 3600 }, now - 60);
    await signInToAccountFrom(user, { 'User-Agent': FIREFOX, 'CF-Connecting-IP': '198.51.100.4' });
    expect(await outboxFor(address(user))).toHaveLength(0);
    // From then on the recorded history counts.
    await signInToAccountFrom(user, { 'User-Agent': CHROME, 'CF-Connecting-IP': '198.51.100.4' });
    expect(await outboxFor(address(user))).toHaveLength(1);
  });

  it('records the place from request.cf for the sessions list', async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user, { 'User-Agent': FIREFOX }, { country: 'JP', city: 'Osaka' });
    expect(await (await getAccount(cookie)).text()).toContain('<dd>Osaka, JP</dd>');
  });
});

describe('notices other code sends', () => {
  it('sends the passkey and MFA notices, each with its own working link', async () => {
    const user = await createUser();
    await notify(user, 'passkey');
    const first = await notMeToken(user);
    await notify(user, 'mfa');
    const second = await notMeToken(user);
    expect(second).not.toBe(first);
    const [mfa, passkey] = await outboxFor(address(user));
    expect(passkey!.subject).toContain('Your passkeys were changed');
    expect(mfa!.subject).toContain('Your two-step sign-in was changed');
    // A later notice does not disable an earlier notice's link.
    expect((await formWithEnv(DEV, '/email/not-me', { token: first })).status).toBe(200);
    expect((await formWithEnv(DEV, '/email/not-me', { token: second })).status).toBe(200);
  });

  it('sends nothing to an account without an address', async () => {
    const user = await createUser({ email: null });
    await notify(user, 'mfa');
    expect(await queryAuditEvents(env.DB, { userId: user.id, type: 'mail.security-notice.mfa' })).toHaveLength(0);
  });
});

describe('"this wasn\'t me"', () => {
  it('ends every session, revokes refresh tokens and mails a reset link, once', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const { tokens } = await tokensFor(client, user, { scope: 'openid offline_access' });
    await notify(user, 'passkey');
    const cookie = await signInToAccountFrom(user);
    const token = await notMeToken(user);
    const landing = await callWithEnv(DEV, `/email/not-me?token=${token}`);
    expect(landing.status).toBe(200);
    expect(landing.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(hiddenField(await landing.text(), 'token')).toBe(token);
    const res = await formWithEnv(DEV, '/email/not-me', { token });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Every session of your account was signed out');
    expect(isLoginPage(await (await getAccount(cookie)).text())).toBe(true);
    expect((await refresh(client, tokens.refresh_token!)).status).toBe(400);
    await mailedLink(address(user), '/password/reset');
    await expectErrorPage(await formWithEnv(DEV, '/email/not-me', { token }));
    const events = await queryAuditEvents(env.DB, { userId: user.id, type: 'security.not_me' });
    expect(events.map((e) => e.outcome)).toEqual(['success']);
  });

  it('refuses a cross-site POST of the link (CSRF), which leaves it usable', async () => {
    const user = await createUser();
    await notify(user, 'mfa');
    const token = await notMeToken(user);
    for (const path of ['/email/not-me', '/email/delete-account']) {
      const res = await callWithEnv(DEV, path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' }, body: `token=${token}` });
      expect(res.status).toBe(403);
    }
    expect((await formWithEnv(DEV, '/email/not-me', { token })).status).toBe(200);
    expect(await findUserById(env.DB, user.id)).not.toBeNull();
  });

  it(`expires after ${NOT_ME_TTL_SECONDS / 86400} days, and refuses malformed or missing tokens`, async () => {
    const user = await createUser();
    await notify(user, 'mfa');
    const token = await notMeToken(user);
    vi.useFakeTimers({ now: Date.now() + (NOT_ME_TTL_SECONDS + 1) * 1000, toFake: ['Date'] });
    await expectErrorPage(await formWithEnv(DEV, '/email/not-me', { token }));
    vi.useRealTimers();
    await expectErrorPage(await callWithEnv(DEV, '/email/not-me?token=../../etc'));
    await expectErrorPage(await formWithEnv(DEV, '/email/not-me', {}));
    await expectErrorPage(await callWithEnv(DEV, '/email/not-me', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER }, body: `token=${token}&token=${token}` }));
  });
});
