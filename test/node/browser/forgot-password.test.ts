// The forgot-password journey in Chromium: from the gateway's sign-in, through the mail read from the dev outbox
// (/dev/mail), a new password, and back to the same sign-in, which ends signed in at the gateway.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../helpers/dev-server.ts';
import { startGateway, type GatewayServer } from '../helpers/gateway-server.ts';
import { launchChromium, openContext, type PageProblems, screenshot, unexpectedProblems } from './chromium.ts';

let provider: DevServer;
let gateway: GatewayServer;
let browser: Browser;
const user = { username: 'browser-dora', password: 'browser-old-passphrase-17', email: 'dora@example.com', name: 'Dora Browser' };
const NEW_PASSWORD = 'a fresh and long passphrase';
const open: { problems: PageProblems; close(): Promise<void> }[] = [];

beforeAll(async () => {
  provider = await startDevServer({ devMode: true });
  await provider.addUser(user);
  gateway = await startGateway(provider);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
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

/** The newest reset link to the address, as the dev outbox page lists it. */
async function resetLinkFromOutbox(page: Page): Promise<string> {
  await page.goto(`${provider.issuer}/dev/mail`);
  const message = page.locator('article').filter({ hasText: `To ${user.email}` }).first();
  await expect(message.locator('h2').textContent()).resolves.toContain('Reset your password');
  const href = await message.locator('a[href*="/password/reset?token="]').first().getAttribute('href');
  expect(href).toMatch(/\/password\/reset\?token=[A-Za-z0-9_-]{43}$/);
  return href!;
}

describe('forgot password in Chromium', () => {
  it('resets the password from the mailed link and continues the same sign-in to the gateway', async () => {
    const page = await newPage();
    await page.goto(`${gateway.origin}/`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(`${provider.issuer}/authorize?**`);
    await page.getByLabel('Username').fill(user.username);
    await page.getByRole('button', { name: 'Forgot password?' }).click();

    await page.waitForURL(`${provider.issuer}/password/forgot`);
    expect(await page.getByLabel('Username or email').inputValue()).toBe(user.username);
    await page.getByLabel('Username or email').fill(user.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Check your email');
    await screenshot(page, 'forgot-password-sent');

    // The mail goes out after the response (waitUntil): poll the outbox page briefly.
    const mailbox = await newPage();
    let link = '';
    for (let i = 0; i < 20 && !link; i++) {
      link = await resetLinkFromOutbox(mailbox).catch(() => '');
      if (!link) await new Promise((r) => setTimeout(r, 250));
    }
    expect(link).not.toBe('');

    await page.goto(link);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Choose a new password');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
    await screenshot(page, 'reset-password-form');
    await page.getByRole('button', { name: 'Set new password' }).click();

    await expect(page.getByRole('status').textContent()).resolves.toContain('Your password was changed');
    // Sessions authenticated in the second of the reset count as ended (users.sessions_ended_at, whole seconds):
    // a person takes longer than that to type a password; this test waits it out.
    await new Promise((r) => setTimeout(r, 1100));
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${gateway.origin}/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Hello, ${user.name}`);

    // The link was used: following it again shows that it has expired (400, outside the page so no console error).
    const again = await fetch(link);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('Link expired');
  });
});
