// Every /account section's POST: refused cross-site (CSRF), without a session, and without a recent sign-in.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RECENT_AUTH_SECONDS } from '../../src/account/client.ts';
import { ACCOUNT_SECTIONS } from '../../src/account/sections.ts';
import { queryAuditEvents } from '../../src/store/audit.ts';
import { findUserById } from '../../src/store/users.ts';
import { getAccount, postAccount, signInToAccountFrom } from '../helpers/account.ts';
import { createUser, type TestUser } from '../helpers/fixtures.ts';
import { isLoginPage } from '../helpers/flow.ts';
import { outboxFor } from '../helpers/mail.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** Each change the sections offer, with a body that would succeed. */
const changes = (user: TestUser): [string, Record<string, string>][] => [
  ['/account/profile/name', { name: 'Changed' }],
  ['/account/profile/email', { email: 'changed@example.net' }],
  ['/account/password', { current: user.password, password: 'a fresh correct horse', confirm: 'a fresh correct horse' }],
  ['/account/sessions/others', {}],
  ['/account/sessions/end', { session: 'A'.repeat(43) }],
  ['/account/apps/revoke', { client_id: 'some-client' }],
  ['/account/delete', { confirm: user.username }],
  ['/account/passkeys/rename', { id: 'some-passkey', nickname: 'Renamed' }],
  ['/account/passkeys/delete', { id: 'some-passkey' }],
  ['/account/security/totp', {}],
  ['/account/security/totp/disable', {}],
  ['/account/security/recovery-codes', {}],
  ['/account/linked/link', { provider: 'upstream' }],
  ['/account/linked/unlink', { issuer: 'https://upstream.example', subject: 'someone' }],
];

async function unchanged(user: TestUser): Promise<void> {
  const stored = (await findUserById(env.DB, user.id))!;
  expect(stored.name).toBe('Test User');
  expect(stored.email).toBe(`${user.username}@example.com`);
  expect(await outboxFor(`${user.username}@example.com`)).toHaveLength(0);
  expect(await queryAuditEvents(env.DB, { userId: user.id, type: 'password.change' })).toHaveLength(0);
}

describe('/account changes', () => {
  it('covers every section that has routes', () => {
    const user = { id: '', username: 'u', password: '' };
    const covered = new Set(changes(user).map(([path]) => path.split('/')[2]));
    expect(ACCOUNT_SECTIONS.filter((s) => s.routes).map((s) => s.id).every((id) => covered.has(id))).toBe(true);
  });

  it('renders every section with unique element ids (labels find their inputs)', async () => {
    const html = await (await getAccount(await signInToAccountFrom(await createUser()))).text();
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [, target] of html.matchAll(/<label for="([^"]+)"/g)) expect(ids).toContain(target);
  });

  it('refuses a cross-site POST (CSRF) to every section', async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user);
    for (const [path, body] of changes(user)) {
      expect((await postAccount(cookie, path, body, { Origin: 'https://evil.example' })).status, path).toBe(403);
      expect((await postAccount(cookie, path, body, { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' })).status, path).toBe(403);
    }
    await unchanged(user);
  });

  it('sends a POST without a session back to /account', async () => {
    const user = await createUser();
    for (const [path, body] of changes(user)) {
      const res = await postAccount('edge_oidc_session=forged', path, body);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('Location')).toBe('/account');
    }
    await unchanged(user);
  });

  it(`asks for a sign-in again on every section past ${RECENT_AUTH_SECONDS} s`, async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user);
    vi.useFakeTimers({ now: Date.now() + (RECENT_AUTH_SECONDS + 5) * 1000, toFake: ['Date'] });
    for (const [path, body] of changes(user)) {
      const html = await (await postAccount(cookie, path, body)).text();
      expect(isLoginPage(html), path).toBe(true);
      expect(html).toContain(`value="${user.username}"`);
    }
    vi.useRealTimers();
    await unchanged(user);
  });

  it('refuses an oversized body on every section', async () => {
    const user = await createUser();
    const cookie = await signInToAccountFrom(user);
    for (const [path] of changes(user)) {
      const res = await postAccount(cookie, path, `pad=${'x'.repeat(20_000)}`);
      expect(res.status, path).toBe(400);
    }
    await unchanged(user);
  });
});
