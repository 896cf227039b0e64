// Passkeys in Chromium with the DevTools virtual authenticator (ctap2, internal, resident key, UV): register one on
// /account, then sign in with it and no password; a passkey as the second factor after a password at a client; the
// password path with JavaScript off.
import { decodeJwt } from 'jose';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../helpers/dev-server.ts';
import { launchChromium, openContext, type PageProblems, screenshot, unexpectedProblems } from './chromium.ts';

let provider: DevServer;
let browser: Browser;
const user = { username: 'passkey-dora', password: 'dora-explores-keys-77', email: 'dora@example.com', name: 'Dora Passkey' };
// Never gets a passkey: the JavaScript-off test signs in with the password alone (a passkey would be asked as a
// second factor, which needs JavaScript).
const plain = { username: 'passkey-paul', password: 'paul-types-passwords-77', email: 'paul@example.com', name: 'Paul Password' };
// Has a password and a passkey: the password first, then the passkey as the second factor, at a client.
const sam = { username: 'passkey-sam', password: 'sam-signs-twice-77', email: 'sam@example.com', name: 'Sam Second' };
const CLIENT = { clientId: 'browser-passkey-client', secret: 'browser-passkey-secret-0123456789abcdefghijklmnop', callback: 'http://127.0.0.1:59999/callback' };
const open: { problems: PageProblems; close(): Promise<void> }[] = [];

beforeAll(async () => {
  // A passkey's RP ID is a domain, never an IP address.
  provider = await startDevServer({ issuerHost: 'localhost' });
  await provider.addUser(user);
  await provider.addUser(plain);
  await provider.addUser(sam);
  await provider.addClient({ clientId: CLIENT.clientId, secret: CLIENT.secret, redirectUris: [CLIENT.callback] });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await provider?.stop();
});

afterEach(async () => {
  const contexts = open.splice(0);
  for (const c of contexts) await c.close();
  expect(contexts.flatMap((c) => unexpectedProblems(c.problems))).toEqual([]);
});

async function newPage(options: Parameters<typeof openContext>[1] = {}): Promise<{ page: Page; clearCookies(): Promise<void> }> {
  const { context, page, problems } = await openContext(browser, options);
  open.push({ problems, close: () => context.close() });
  return { page, clearCookies: () => context.clearCookies() };
}

/**
 * The virtual authenticator the issue names, attached to the page (its credentials live as long as the page).
 * `present(false)` stops it answering by itself (a pending request then waits), `present(true)` lets it answer again.
 */
async function addAuthenticator(page: Page): Promise<{ present(on: boolean): Promise<void> }> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { present: async (enabled) => { await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled }); } };
}

/** Signs in on /account with the password and adds a passkey there, which the account page then asks for once. */
async function registerPasskeyOnAccount(page: Page, who: { username: string; password: string }, nickname: string): Promise<void> {
  await page.goto(`${provider.issuer}/account`);
  await signInWithPassword(page, who);
  await page.waitForURL(`${provider.issuer}/account`);
  await expect(page.locator('#passkeys').textContent()).resolves.toContain('No passkeys yet.');
  await page.getByLabel('Name for a new passkey (optional)').fill(nickname);
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.waitForURL(`${provider.issuer}/account#passkeys`);
  // The new passkey is this user's second factor now (MFA_POLICY=optional): the account page asks this
  // password-only session for it before showing itself again.
  await page.getByRole('button', { name: 'Use your passkey' }).click();
  await page.waitForURL(`${provider.issuer}/account`);
}

/**
 * Does `act`, waits for the browser's request to the client's callback (nothing listens there: the request is what
 * counts), redeems its code with the client secret and returns the id_token's claims.
 */
async function idTokenClaimsAfter(page: Page, act: () => Promise<void>): Promise<Record<string, unknown>> {
  const request = page.waitForRequest((r) => r.url().startsWith(`${CLIENT.callback}?`));
  await act();
  const callback = new URL((await request).url());
  expect(callback.searchParams.get('state')).toBe('s');
  const res = await fetch(`${provider.issuer}/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${btoa(`${CLIENT.clientId}:${CLIENT.secret}`)}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: CLIENT.callback }),
  });
  expect(res.status).toBe(200);
  return decodeJwt(((await res.json()) as { id_token: string }).id_token);
}

async function signInWithPassword(page: Page, who: { username: string; password: string } = user): Promise<void> {
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

describe('passkeys in Chromium', () => {
  it('registers a passkey on /account, then signs in with it and no password', async () => {
    const { page, clearCookies } = await newPage();
    await addAuthenticator(page);
    await registerPasskeyOnAccount(page, user, 'Virtual key');
    const section = (await page.locator('#passkeys').textContent())!;
    expect(section).toContain('Virtual key');
    // Used once already: as the second factor just now.
    expect(section).not.toContain('never');
    await screenshot(page, 'passkey-registered');

    await clearCookies();
    // The sign-in page: conditional UI answers at once (the virtual authenticator needs no gesture), else the button.
    await page.goto(`${provider.issuer}/account`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click({ timeout: 3000 }).catch(() => undefined);
    await page.waitForURL(`${provider.issuer}/account`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your account');
    const rows = await provider.execute("SELECT type, detail FROM audit_events WHERE type IN ('passkey.registered', 'login.success') ORDER BY id");
    expect(rows).toContainEqual({ type: 'login.success', detail: 'passkey' });
    expect(rows).toContainEqual({ type: 'passkey.registered', detail: null });
    expect(await provider.execute("SELECT type FROM audit_events WHERE type = 'passkey.verified'")).toHaveLength(1);
  });

  it('asks a password user at a client for the passkey as the second factor: acr "2", amr pwd hwk mfa', async () => {
    const { page, clearCookies } = await newPage();
    const authenticator = await addAuthenticator(page);
    await registerPasskeyOnAccount(page, sam, 'Second factor key');
    await clearCookies();
    // The id_token states acr only when the client asks for it (docs/decisions.md): asked here with no level wanted,
    // so the acr is what the sign-in reached, not a step-up's.
    const q = new URLSearchParams({
      response_type: 'code', client_id: CLIENT.clientId, redirect_uri: CLIENT.callback, scope: 'openid', state: 's', claims: JSON.stringify({ id_token: { acr: null } }),
    });
    // The login page's conditional UI could answer with the passkey on its own (a first-factor sign-in): the
    // authenticator keeps silent until the second-factor page asks for it.
    await authenticator.present(false);
    await page.goto(`${provider.issuer}/authorize?${q}`);
    await signInWithPassword(page, sam);
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Two-step verification');
    await screenshot(page, 'passkey-second-factor');
    await authenticator.present(true);
    const claims = await idTokenClaimsAfter(page, () => page.locator('form[data-factor="passkey"]').getByRole('button', { name: 'Use your passkey' }).click());
    expect(claims).toMatchObject({ acr: '2', amr: ['pwd', 'hwk', 'mfa'] });
    const rows = await provider.execute(`SELECT a.type, a.client_id FROM audit_events a JOIN users u ON u.id = a.user_id WHERE u.username = '${sam.username}' AND a.type = 'passkey.verified' ORDER BY a.id`);
    // The passkey answered at the client (and before that, once on /account after registering).
    expect(rows).toContainEqual({ type: 'passkey.verified', client_id: CLIENT.clientId });
  });

  it('signs in with a password with JavaScript off, the passkey button never shown', async () => {
    const { page } = await newPage({ javaScriptEnabled: false });
    await page.goto(`${provider.issuer}/account`);
    expect(await page.getByRole('button', { name: 'Sign in with a passkey' }).isVisible()).toBe(false);
    await signInWithPassword(page, plain);
    await page.waitForURL(`${provider.issuer}/account`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your account');
  });
});
