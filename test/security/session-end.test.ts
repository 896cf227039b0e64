// Sessions end whether or not D1 recorded them: logout upserts an ended marker, disable ends by user and time.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { replacePassword, setUserDisabled } from '../../src/store/cascades.ts';
import { findSessionState } from '../../src/store/sessions.ts';
import { createClient, createUser, exchange, form, formWithEnv, sessionCookie, type TestClient, type TestUser } from '../helpers/fixtures.ts';
import { authorizeWithCookie, expectOAuthError, expectRedirect, expectRedirectError, isLoginPage, loginTx, sessionIdHash } from '../helpers/flow.ts';
import { replaceMembers } from '../helpers/doubles.ts';

/** The real D1, except that recording a session fails (the insert runs off the response path). */
function withoutSessionInserts(db: D1Database): D1Database {
  const failing = {
    bind: () => failing,
    run: () => Promise.reject(new Error('simulated insert failure')),
  } as unknown as D1PreparedStatement;
  const wrap = <T extends D1Database | D1DatabaseSession>(target: T): T =>
    replaceMembers(target, {
      prepare: (sql: string) => (/^INSERT INTO sessions\b/.test(sql) ? failing : target.prepare(sql)),
      withSession: (...args: unknown[]) => wrap((target as D1Database).withSession(...(args as []))),
    });
  return wrap(db);
}

/** Signs in through a D1 that loses the session row; returns the cookie of a session D1 never heard of. */
async function signInUnrecorded(client: TestClient, user: TestUser): Promise<string> {
  const tx = await loginTx(client);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const res = await formWithEnv({ DB: withoutSessionInserts(env.DB) }, '/login', { tx, username: user.username, password: user.password });
  expect(res.status).toBe(303);
  const cookie = sessionCookie(res);
  expect(await findSessionState(env.DB, await sessionIdHash(cookie), 0)).toBe('unknown');
  return cookie;
}

async function expectSignedOut(client: TestClient, cookie: string): Promise<void> {
  expectRedirectError(await authorizeWithCookie(client, cookie, { prompt: 'none' }), client, 'login_required');
  const page = await authorizeWithCookie(client, cookie);
  expect(isLoginPage(await page.text())).toBe(true);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a session whose row was never written', () => {
  it('is live until logout, and logout ends it (an upserted ended marker)', async () => {
    const client = await createClient();
    const cookie = await signInUnrecorded(client, await createUser());
    expectRedirect(await authorizeWithCookie(client, cookie, { prompt: 'none' }), client);
    const out = await form('/logout', {}, { Cookie: cookie });
    expect(await out.text()).toContain('You are signed out');
    expect(await findSessionState(env.DB, await sessionIdHash(cookie), 0)).toBe('ended');
    await expectSignedOut(client, cookie);
  });

  it('ends when its user is disabled, and stays ended once the user is enabled again', async () => {
    const client = await createClient();
    const user = await createUser();
    const cookie = await signInUnrecorded(client, user);
    expect(await setUserDisabled(env.DB, user.id, true)).toBe(true);
    await expectSignedOut(client, cookie);
    expect(await setUserDisabled(env.DB, user.id, false)).toBe(true);
    await expectSignedOut(client, cookie);
  });

  it('ends when its user gets a new password, and the codes it issued are refused at /token', async () => {
    const client = await createClient();
    const user = await createUser();
    const cookie = await signInUnrecorded(client, user);
    const code = expectRedirect(await authorizeWithCookie(client, cookie, { prompt: 'none' }), client).get('code')!;
    expect(await replacePassword(env.DB, user.id, 'a new hash')).toBe(true);
    await expectSignedOut(client, cookie);
    await expectOAuthError(await exchange(client, code), 400, 'invalid_grant');
  });
});
