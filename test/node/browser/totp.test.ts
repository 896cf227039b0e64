// TOTP on /account in Chromium: set up with the QR page (the test computes the code from the key shown),
// recovery codes shown once, new codes, and off again.
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { totpCode, totpStep } from '../../../src/crypto/totp.ts';
import { startDevServer, type DevServer } from '../helpers/dev-server.ts';
import { launchChromium, openContext, type PageProblems, screenshot, unexpectedProblems } from './chromium.ts';

let provider: DevServer;
let browser: Browser;
const user = { username: 'browser-totp', password: 'browser-totp-horse-42', email: 'totp@example.com', name: 'Tess Otp' };
const open: { problems: PageProblems; close(): Promise<void> }[] = [];

beforeAll(async () => {
  provider = await startDevServer();
  await provider.addUser(user);
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

async function newPage(): Promise<Page> {
  const { context, page, problems } = await openContext(browser);
  open.push({ problems, close: () => context.close() });
  return page;
}

/** The code an authenticator app shows now (or `steps` later) for the key the page displayed. */
function codeFor(keyText: string, steps = 0): Promise<string> {
  return totpCode(decodeBase32IgnorePadding(keyText.replace(/\s/g, '')), totpStep(Math.floor(Date.now() / 1000)) + steps);
}

describe('the authenticator app on /account in Chromium', () => {
  it('sets up TOTP from the QR page with a computed code, shows ten recovery codes once, makes new ones, turns it off', async () => {
    const page = await newPage();
    await page.goto(`${provider.issuer}/account`);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${provider.issuer}/account`);
    expect(await page.locator('#security').innerText()).toContain('Authenticator app: off');

    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Set up an authenticator app');
    const qr = page.locator('figure.qr svg');
    expect((await qr.boundingBox())!.width).toBeGreaterThan(100);
    await screenshot(page, 'totp-enrolment');
    const key = (await page.locator('code.totp-key').textContent())!;
    expect(key.replace(/\s/g, '')).toMatch(/^[A-Z2-7]{32}$/);

    await page.getByLabel('Code from your authenticator app').fill('000000' === (await codeFor(key)) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('That code is not right');

    await page.getByLabel('Code from your authenticator app').fill(await codeFor(key));
    await page.getByRole('button', { name: 'Turn on' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Authenticator app on');
    const codes = await page.locator('ol.recovery-codes code').allTextContents();
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
    await screenshot(page, 'totp-recovery-codes');

    await page.getByRole('link', { name: 'Back to your account' }).click();
    // The app is now this user's second factor (MFA_POLICY=optional): the account page asks this password-only
    // session for a code first; the next step's, as the step just used cannot be used again (±1 step allowed).
    await page.locator('form[data-factor="totp"]').getByLabel('Code from your authenticator app').fill(await codeFor(key, 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${provider.issuer}/account`);
    const section = page.locator('#security');
    expect(await section.innerText()).toMatch(/Authenticator app: on since \d{4}-\d{2}-\d{2}/);
    expect(await section.innerText()).toContain('Recovery codes: 10 of 10 unused');

    await page.getByRole('button', { name: 'Make new recovery codes' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { level: 1 }).textContent(), await page.locator('main').innerText()).toBe('New recovery codes');
    const fresh = await page.locator('ol.recovery-codes code').allTextContents();
    expect(fresh).toHaveLength(10);
    expect(fresh.some((code) => codes.includes(code))).toBe(false);

    await page.goto(`${provider.issuer}/account`);
    await page.getByRole('button', { name: 'Turn off the authenticator app' }).click();
    await page.waitForURL(`${provider.issuer}/account`);
    expect(await page.locator('#security').innerText()).toContain('Authenticator app: off');
    const rows = await provider.execute(`SELECT type FROM audit_events WHERE type LIKE 'mfa.%' ORDER BY id`);
    expect(JSON.stringify(rows)).toMatch(/mfa\.totp\.enrol.*mfa\.recovery_codes\.generate.*mfa\.totp\.disable/s);
  });
});
