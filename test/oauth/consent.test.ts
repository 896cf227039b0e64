import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { consentHost, mustAskConsent, usesRecordedConsent } from '../../src/oauth/consent.ts';
import { deleteClient, deleteUser } from '../../src/store/cascades.ts';
import { findConsentedScopes, recordConsent } from '../../src/store/consents.ts';
import { authorizeUrl, callWithEnv, createClient, createUser, form, formWithEnv, hiddenTx, sessionCookie, signIn, submitLogin, type TestClient, type TestUser } from '../helpers/fixtures.ts';
import { authorizeWithCookie, expectRedirect, expectRedirectError, isConsentPage, isLoginPage, loginAndAllow, loginTx, redeemCode } from '../helpers/flow.ts';
import { replaceMembers } from '../helpers/doubles.ts';

/** Signs in to a third-party client, allows on the consent page, and returns the redirect's parameters. */
async function allow(client: TestClient, user: TestUser, params: Record<string, string> = {}) {
  const { html, cookie, allowed } = await loginAndAllow(client, user, params);
  expect(isConsentPage(html)).toBe(true);
  return { params: expectRedirect(allowed, client, 303), cookie, html };
}

describe('consent for third-party clients', () => {
  it('is asked without prompt=consent when nothing is recorded, naming the claims, and is then recorded', async () => {
    const client = await createClient({ firstParty: false, name: 'Other App' });
    const user = await createUser();
    const { params, html } = await allow(client, user, { scope: 'openid profile email' });
    expect(html).toContain('Other App');
    expect(html).toContain('from <strong>app.example.com</strong>');
    expect(html).toContain('See your email address and whether it is verified');
    expect(html).toContain('See your name, your username');
    expect((await redeemCode(client, params.get('code')!)).scope).toBe('openid profile email');
    expect(await findConsentedScopes(env.DB, user.id, client.clientId)).toEqual(['openid', 'profile', 'email']);
  });

  it('is not asked again for scopes already allowed, neither with the session nor at a new sign-in', async () => {
    const client = await createClient({ firstParty: false });
    const user = await createUser();
    const { cookie } = await allow(client, user, { scope: 'openid profile' });
    expect(expectRedirect(await authorizeWithCookie(client, cookie, { scope: 'openid profile' }), client).get('code')).toBeTruthy();
    expect(expectRedirect(await authorizeWithCookie(client, cookie, { scope: 'openid', prompt: 'none' }), client).get('code')).toBeTruthy();
    expect(expectRedirect(await submitLogin(client, user, { scope: 'openid' }), client, 303).get('code')).toBeTruthy();
  });

  it('is found at sign-in whatever form of the username is typed', async () => {
    const client = await createClient({ firstParty: false });
    const user = await createUser();
    await recordConsent(env.DB, user.id, client.clientId, ['openid', 'profile', 'email'], 1);
    // Upper case and fullwidth letters name the same account (usernameKey), so they find the same record.
    const shouted = { ...user, username: user.username.toUpperCase() };
    expect(expectRedirect(await submitLogin(client, shouted), client, 303).get('code')).toBeTruthy();
    const fullwidth = { ...user, username: user.username.replace(/[a-z]/g, (ch) => String.fromCodePoint(ch.codePointAt(0)! + 0xfee0)) };
    expect(expectRedirect(await submitLogin(client, fullwidth), client, 303).get('code')).toBeTruthy();
  });

  it('is asked again for a scope not yet allowed, and prompt=none then answers consent_required', async () => {
    const client = await createClient({ firstParty: false });
    const user = await createUser();
    const { cookie } = await allow(client, user, { scope: 'openid profile' });
    expectRedirectError(await authorizeWithCookie(client, cookie, { scope: 'openid email', prompt: 'none' }), client, 'consent_required');
    expectRedirectError(await authorizeWithCookie(client, cookie, { scope: 'openid offline_access', prompt: 'none' }), client, 'consent_required');
    const res = await authorizeWithCookie(client, cookie, { scope: 'openid email' });
    expect(res.status).toBe(200);
    expect(isConsentPage(await res.text())).toBe(true);
  });

  it('adds newly allowed scopes to the record', async () => {
    const client = await createClient({ firstParty: false });
    const user = await createUser();
    const { cookie } = await allow(client, user, { scope: 'openid profile' });
    const page = await authorizeWithCookie(client, cookie, { scope: 'openid email' });
    const allowed = await form('/consent', { tx: hiddenTx(await page.text()), decision: 'allow' }, { Cookie: cookie });
    expectRedirect(allowed, client, 303);
    expect((await findConsentedScopes(env.DB, user.id, client.clientId))?.sort()).toEqual(['email', 'openid', 'profile']);
  });

  it('is asked always with prompt=consent, even when recorded', async () => {
    const client = await createClient({ firstParty: false });
    const user = await createUser();
    const { cookie } = await allow(client, user, { scope: 'openid' });
    const res = await authorizeWithCookie(client, cookie, { scope: 'openid', prompt: 'consent' });
    expect(isConsentPage(await res.text())).toBe(true);
  });

  it('is not recorded when the user denies', async () => {
    const client = await createClient({ firstParty: false });
    const user = await createUser();
    const res = await submitLogin(client, user);
    const denied = await form('/consent', { tx: hiddenTx(await res.text()), decision: 'deny' }, { Cookie: sessionCookie(res) });
    expectRedirectError(denied, client, 'access_denied', 'st-123', 303);
    expect(await findConsentedScopes(env.DB, user.id, client.clientId)).toBeNull();
  });

  it("does not count another user's record at sign-in", async () => {
    const client = await createClient({ firstParty: false });
    const alice = await createUser();
    const bob = await createUser();
    await recordConsent(env.DB, alice.id, client.clientId, ['openid', 'profile', 'email'], 1);
    const res = await submitLogin(client, bob);
    expect(res.status).toBe(200);
    expect(isConsentPage(await res.text())).toBe(true);
  });

  it('is forgotten when the user or the client is deleted', async () => {
    const client = await createClient({ firstParty: false });
    const other = await createClient({ firstParty: false });
    const user = await createUser();
    await recordConsent(env.DB, user.id, client.clientId, ['openid'], 1);
    await recordConsent(env.DB, user.id, other.clientId, ['openid'], 1);
    await deleteClient(env.DB, client.clientId);
    expect(await findConsentedScopes(env.DB, user.id, client.clientId)).toBeNull();
    expect(await findConsentedScopes(env.DB, user.id, other.clientId)).toEqual(['openid']);
    await deleteUser(env.DB, user.id);
    expect(await findConsentedScopes(env.DB, user.id, other.clientId)).toBeNull();
  });
});

describe('offline_access without prompt=consent (OIDC Core §11)', () => {
  it('is granted to a first-party client, without a consent page', async () => {
    const client = await createClient({ firstParty: true });
    const { code } = await signIn(client, await createUser(), { scope: 'openid offline_access' });
    const tokens = await redeemCode(client, code);
    expect(tokens.scope).toBe('openid offline_access');
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('is granted to a third-party client when the recorded consent covers it', async () => {
    const client = await createClient({ firstParty: false });
    const user = await createUser();
    const first = await allow(client, user, { scope: 'openid offline_access' });
    expect(first.html).toContain('Stay signed in');
    expect((await redeemCode(client, first.params.get('code')!)).refresh_token).toBeTruthy();
    const again = expectRedirect(await submitLogin(client, user, { scope: 'openid offline_access' }), client, 303);
    const tokens = await redeemCode(client, again.get('code')!);
    expect(tokens.scope).toBe('openid offline_access');
    expect(tokens.refresh_token).toBeTruthy();
  });

  it('is never granted to a client without the refresh_token grant', async () => {
    const client = await createClient({ firstParty: true, grantTypes: ['authorization_code'] });
    const { code } = await signIn(client, await createUser(), { scope: 'openid offline_access' });
    const tokens = await redeemCode(client, code);
    expect(tokens.scope).toBe('openid');
    expect(tokens.refresh_token).toBeUndefined();
  });
});

/** The D1 binding with every statement sent to the primary (not through a Sessions API session) recorded. */
function watchedPrimary(): { db: D1Database; primary: string[] } {
  const primary: string[] = [];
  const db = replaceMembers(env.DB, {
    prepare: (sql: string) => (primary.push(sql), env.DB.prepare(sql)),
    batch: (statements: D1PreparedStatement[]) => (primary.push('batch'), env.DB.batch(statements)),
  });
  return { db, primary };
}

describe('recorded consent is read from a replica', () => {
  it('on /authorize and POST /login, never from the primary', async () => {
    const client = await createClient({ firstParty: false });
    const user = await createUser();
    await recordConsent(env.DB, user.id, client.clientId, ['openid', 'profile', 'email'], 1);
    const watched = watchedPrimary();
    const page = await callWithEnv({ DB: watched.db }, authorizeUrl(client));
    expect(isLoginPage(await page.text())).toBe(true);
    const { cookie } = await signIn(client, user);
    const res = await formWithEnv({ DB: watched.db }, '/login', { tx: await loginTx(client), username: user.username, password: user.password });
    expect(res.status).toBe(303);
    const sso = await callWithEnv({ DB: watched.db }, authorizeUrl(client), { headers: { Cookie: cookie } });
    expect(sso.status).toBe(302);
    // The one primary SELECT allowed is the new-device check's, batched with the session's off-path INSERT
    // (src/store/session-list.ts): it reads sessions, never consents, and delays no response.
    const offPathDeviceCheck = /^SELECT user_agent, ip FROM sessions /;
    expect(watched.primary.filter((sql) => /consents|SELECT/i.test(sql) && !/^INSERT/i.test(sql.trim()) && !offPathDeviceCheck.test(sql.trim()))).toEqual([]);
  });
});

describe('clients nobody here vouched for (registeredBy dcr or cimd)', () => {
  const request = { prompt: [], scope: ['openid', 'profile'] };

  it.each(['dcr', 'cimd'] as const)('%s: always asked, recorded consent never read, first-party flag ignored', (registeredBy) => {
    for (const firstParty of [true, false]) {
      expect(usesRecordedConsent({ firstParty, registeredBy }, request)).toBe(false);
      expect(mustAskConsent({ firstParty, registeredBy }, request, ['openid', 'profile'])).toBe(true);
    }
  });

  it('admin-registered clients keep the first-party and recorded-consent rules', () => {
    expect(mustAskConsent({ firstParty: true, registeredBy: 'admin' }, request, null)).toBe(false);
    expect(mustAskConsent({ firstParty: false, registeredBy: 'admin' }, request, ['openid', 'profile'])).toBe(false);
    expect(usesRecordedConsent({ firstParty: false, registeredBy: 'admin' }, request)).toBe(true);
  });

  it('names the metadata document host for cimd clients, the redirect URI host for others', () => {
    expect(consentHost({ clientId: 'https://tools.example.org/mcp/client.json', registeredBy: 'cimd' }, 'http://127.0.0.1:5000/cb')).toBe('tools.example.org');
    expect(consentHost({ clientId: 'app', registeredBy: 'admin' }, 'https://app.example.com:8443/cb')).toBe('app.example.com:8443');
    expect(consentHost({ clientId: 'app', registeredBy: 'dcr' }, 'com.example.app:/cb')).toBeNull();
  });
});
