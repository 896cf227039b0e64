// Sign-up in Chromium: SIGNUP=open from the gateway's sign-in page, and SIGNUP=invite from an invite the admin CLI
// mails; each reads its mail from the dev outbox (/dev/mail), confirms the address and signs in at the gateway.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAdminViaNpm } from '../cli-harness.ts';
import { startDevServer, type DevServer } from '../helpers/dev-server.ts';
import { startGateway, type GatewayServer } from '../helpers/gateway-server.ts';
import { launchChromium, openContext, type PageProblems, screenshot, unexpectedProblems } from './chromium.ts';

let browser: Browser;
const open: { problems: PageProblems; close(): Promise<void> }[] = [];
const PASSWORD = 'a long and quiet meadow at dusk';

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  const contexts = open.splice(0);
  for (const c of contexts) await c.close();
  expect(contexts.flatMap((c) => unexpectedProblems(c.problems))).toEqual([]);
});

async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
  const { context, page, problems } = await openContext(browser, options);
  open.push({ problems, close: () => context.close() });
  return page;
}

/** The newest link under `path` in a mail to the address, from the dev outbox page (mail goes out after the response). */
async function linkFromOutbox(provider: DevServer, to: string, path: string): Promise<string> {
  const mailbox = await newPage();
  for (let i = 0; i < 40; i++) {
    await mailbox.goto(`${provider.issuer}/dev/mail`);
    const href = await mailbox.locator('article').filter({ hasText: `To ${to}` }).first()
      .locator(`a[href*="${path}?"]`).first().getAttribute('href', { timeout: 500 }).catch(() => null);
    if (href) return href;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no ${path} link mailed to ${to}`);
}

async function fillSignup(page: Page, who: { username: string; name: string; email?: string }): Promise<void> {
  await page.getByLabel('Username').fill(who.username);
  if (who.email) await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Name', { exact: true }).fill(who.name);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  // The show-password toggle (/assets/password-toggle.js) reveals what was typed.
  await page.getByLabel('Show password').check();
  expect(await page.getByLabel('Password', { exact: true }).getAttribute('type')).toBe('text');
}

async function confirmAndSignIn(page: Page, provider: DevServer, gateway: GatewayServer, who: { username: string; name: string; email: string }) {
  await page.goto(await linkFromOutbox(provider, who.email, '/email/verify'));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Email address confirmed');
  await page.goto(`${gateway.origin}/`);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${gateway.origin}/`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Hello, ${who.name}`);
}

describe('SIGNUP=open in Chromium', () => {
  let provider: DevServer;
  let gateway: GatewayServer;
  beforeAll(async () => {
    provider = await startDevServer({ devMode: true, vars: { SIGNUP: 'open' } });
    gateway = await startGateway(provider);
  });
  afterAll(async () => {
    await gateway?.stop();
    await provider?.stop();
  });

  it('signs up from the sign-in page, confirms the address from the outbox, and signs in at the gateway', async () => {
    const who = { username: 'browser-erin', name: 'Erin Browser', email: 'erin@example.com' };
    const page = await newPage();
    await page.goto(`${gateway.origin}/`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(`${provider.issuer}/authorize?**`);
    await page.getByRole('link', { name: 'Create one' }).click();
    await page.waitForURL(`${provider.issuer}/signup`);
    await fillSignup(page, who);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Check your email');
    await confirmAndSignIn(page, provider, gateway, who);
  });

  const sizes = { desktop: { width: 1280, height: 800 }, mobile: { width: 390, height: 844 } } as const;
  for (const [size, viewport] of Object.entries(sizes)) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`the sign-up page and "Not you?" render cleanly at ${size} width, ${colorScheme} scheme`, async () => {
        const page = await newPage({ viewport, colorScheme, ...(size === 'mobile' ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
        await page.goto(`${provider.issuer}/signup`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
        // Input borders stand out from the card in both schemes.
        const border = await page.getByLabel('Username').evaluate((el) => getComputedStyle(el).borderTopColor);
        expect(border).toBe(colorScheme === 'dark' ? 'rgb(125, 134, 147)' : 'rgb(138, 146, 158)');
        await screenshot(page, `signup-${size}-${colorScheme}`);
        await page.goto(`${gateway.origin}/`);
        await page.getByRole('link', { name: 'Sign in' }).click();
        const hinted = new URL(page.url());
        hinted.searchParams.set('login_hint', 'browser-erin');
        await page.goto(hinted.toString());
        expect(await page.getByText('Not you?').isVisible()).toBe(true);
        await screenshot(page, `login-not-you-${size}-${colorScheme}`);
        await page.getByRole('button', { name: 'Use another account' }).click();
        expect(await page.getByLabel('Username').inputValue()).toBe('');
      });
    }
  }
});

describe('SIGNUP=invite in Chromium', () => {
  let provider: DevServer;
  let gateway: GatewayServer;
  beforeAll(async () => {
    provider = await startDevServer({ devMode: true, vars: { SIGNUP: 'invite' } });
    gateway = await startGateway(provider);
  });
  afterAll(async () => {
    await gateway?.stop();
    await provider?.stop();
  });

  it('follows an invite from `user invite` through the outbox to an account, signed in at the gateway', async () => {
    const who = { username: 'browser-finn', name: 'Finn Browser', email: 'finn@example.com' };
    const invited = await runAdminViaNpm(['user', 'invite', '--email', who.email, '--json', '--persist-to', provider.persistDir]);
    expect(invited.code, invited.stderr).toBe(0);
    expect(JSON.parse(invited.stdout)).toMatchObject({ email: who.email, sent: true });
    // The CLI names links with wrangler.toml's ISSUER; this server listens elsewhere.
    const mailed = new URL(await linkFromOutbox(provider, who.email, '/signup'));
    const page = await newPage();
    await page.goto(`${provider.issuer}${mailed.pathname}${mailed.search}`);
    expect(await page.getByLabel('Email').inputValue()).toBe(who.email);
    // The address is the invite's, shown read-only.
    await fillSignup(page, { username: who.username, name: who.name });
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Check your email');
    await confirmAndSignIn(page, provider, gateway, who);
    // The invite was used: following it again says so (400, fetched outside the page so no console error).
    const again = await fetch(`${provider.issuer}${mailed.pathname}${mailed.search}`);
    expect(again.status).toBe(400);
  });
});
