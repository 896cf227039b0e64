// Passkeys in Chromium with the DevTools virtual authenticator (ctap2, internal, resident key, UV): register one on
// /account, then sign in with it and no password; the password path with JavaScript off.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../helpers/dev-server.ts';
import { launchChromium, openContext, type PageProblems, screenshot, unexpectedProblems } from './chromium.ts';

let provider: DevServer;
let browser: Browser;
const user = { username: 'passkey-dora', password: 'dora-explores-keys-77', email: 'dora@example.com', name: 'Dora Passkey' };
// Never gets a passkey: the JavaScript-off test signs in with the password alone (a passkey would be asked as a
// second factor, which needs JavaScript).
const plain = { username: 'passkey-paul', password: 'paul-types-passwords-77', email: 'paul@example.com', name: 'Paul Password' };
const open: { problems: PageProblems; close(): Promise<void> }[] = [];

beforeAll(async () => {
  // A passkey's RP ID is a domain, never an IP address.
  provider = await startDevServer({ issuerHost: 'localhost' });
  await provider.addUser(user);
  await provider.addUser(plain);
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

/** The virtual authenticator the issue names, attached to the page (its credentials live as long as the page). */
async function addAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
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
    await page.goto(`${provider.issuer}/account`);
    await signInWithPassword(page);
    await page.waitForURL(`${provider.issuer}/account`);
    await expect(page.locator('#passkeys').textContent()).resolves.toContain('No passkeys yet.');
    await page.getByLabel('Name for a new passkey (optional)').fill('Virtual key');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.waitForURL(`${provider.issuer}/account#passkeys`);
    // The new passkey is this user's second factor now (MFA_POLICY=optional): the account page asks this
    // password-only session for it before showing itself again.
    await page.getByRole('button', { name: 'Use your passkey' }).click();
    await page.waitForURL(`${provider.issuer}/account`);
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

  it('signs in with a password with JavaScript off, the passkey button never shown', async () => {
    const { page } = await newPage({ javaScriptEnabled: false });
    await page.goto(`${provider.issuer}/account`);
    expect(await page.getByRole('button', { name: 'Sign in with a passkey' }).isVisible()).toBe(false);
    await signInWithPassword(page, plain);
    await page.waitForURL(`${provider.issuer}/account`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your account');
  });
});
