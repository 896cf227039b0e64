// A real browser (Debian's Chromium via playwright-core) through the gateway example and the provider's pages.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../helpers/dev-server.ts';
import { startGateway, type GatewayServer } from '../helpers/gateway-server.ts';
import { launchChromium, openContext, type PageProblems, screenshot, unexpectedProblems } from './chromium.ts';

let provider: DevServer;
let gateway: GatewayServer;
let browser: Browser;
const user = { username: 'browser-carol', password: 'browser-correct-horse-42', email: 'carol@example.com', name: 'Carol Browser' };
const DEVICE_CLIENT = 'browser-tv';
const open: { problems: PageProblems; close(): Promise<void> }[] = [];

beforeAll(async () => {
  provider = await startDevServer();
  await provider.addUser(user);
  await provider.addClient({ clientId: DEVICE_CLIENT, secret: null, redirectUris: [], grantTypes: ['urn:ietf:params:oauth:grant-type:device_code'] });
  gateway = await startGateway(provider);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await provider?.stop();
});

// Every page of every test: no console errors or warnings, no uncaught errors, no CSP violations.
afterEach(async () => {
  const contexts = open.splice(0);
  for (const c of contexts) await c.close();
  expect(contexts.flatMap((c) => unexpectedProblems(c.problems))).toEqual([]);
});

async function newPage(options: Parameters<typeof openContext>[1] = {}): Promise<Page> {
  const { context, page, problems } = await openContext(browser, options);
  open.push({ problems, close: () => context.close() });
  pageProblems.set(page, problems);
  return page;
}

const pageProblems = new WeakMap<Page, PageProblems>();

/** From the gateway's start page to the provider's login form. */
async function startSignIn(page: Page): Promise<void> {
  await page.goto(`${gateway.origin}/`);
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('You are not signed in');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.waitForURL(`${provider.issuer}/authorize?**`);
}

async function submitCredentials(page: Page, password = user.password): Promise<void> {
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function expectSignedIn(page: Page): Promise<void> {
  await page.waitForURL(`${gateway.origin}/`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Hello, ${user.name}`);
  expect(await page.locator('#api-status').textContent()).toBe('200');
  expect(JSON.parse((await page.locator('#api-response').textContent())!)).toMatchObject({ client_id: gateway.clientId, token_source: 'bearer' });
}

async function signIn(page: Page): Promise<void> {
  await startSignIn(page);
  await submitCredentials(page);
  await expectSignedIn(page);
}

describe('the gateway sign-in story in Chromium', () => {
  it('signs in with the code flow and shows the signed-in page with a protected API response', async () => {
    const page = await newPage();
    await startSignIn(page);
    expect(await page.title()).toBe('Sign in · edge-oidc');
    expect(await page.locator('.lead').textContent()).toContain('E2E gateway');
    await submitCredentials(page);
    await expectSignedIn(page);
    await screenshot(page, 'gateway-signed-in');

    await page.getByRole('link', { name: 'Open /api/me' }).click();
    await page.waitForURL(`${gateway.origin}/api/me`);
    expect(JSON.parse(await page.locator('body').innerText())).toMatchObject({ scope: 'openid profile email', token_source: 'session' });
  });

  it('keeps the user on the login form with an error after a wrong password, then signs in', async () => {
    const page = await newPage();
    await startSignIn(page);
    await submitCredentials(page, 'not-the-password');
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toMatch(/incorrect|invalid/i);
    expect(await page.getByLabel('Username').inputValue()).toBe(user.username);
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    // The password field has focus again, so the user can simply retype it.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
    await screenshot(page, 'login-wrong-password');
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectSignedIn(page);
  });

  it('reuses the provider session on a second visit (SSO): no login form', async () => {
    const page = await newPage();
    await signIn(page);
    // The gateway forgets the user (its session cookie expires); the provider still knows them.
    await page.context().clearCookies({ name: 'gateway_session' });
    await page.goto(`${gateway.origin}/`);
    const seen: string[] = [];
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) seen.push(frame.url()); });
    await page.getByRole('link', { name: 'Sign in' }).click();
    await expectSignedIn(page);
    expect(seen.some((url) => url.startsWith(`${provider.issuer}/authorize`))).toBe(false); // a redirect, never a rendered page
  });

  it('asks for the password again with prompt=login ("Sign in again") despite the session', async () => {
    const page = await newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await page.waitForURL(`${provider.issuer}/authorize?**`);
    expect(new URL(page.url()).searchParams.get('prompt')).toBe('login');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    await submitCredentials(page);
    await expectSignedIn(page);
  });

  it('signs out of the gateway and the provider, and the next sign-in asks for the password', async () => {
    const page = await newPage();
    await signIn(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${gateway.origin}/?state=*`);
    expect(await page.getByRole('status').textContent()).toBe('You are signed out of the gateway and of edge-oidc.');
    const cookies = (await page.context().cookies()).map((c) => c.name);
    expect(cookies).not.toContain('gateway_session');
    expect(cookies).not.toContain('edge_oidc_session');
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(`${provider.issuer}/authorize?**`);
    expect(await page.getByLabel('Password', { exact: true }).isVisible()).toBe(true);
  });

  it('works from the keyboard alone: Tab to username, password, submit; Enter submits', async () => {
    const page = await newPage();
    await startSignIn(page);
    const focused = () => page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? `${el.tagName.toLowerCase()}#${el.id || ((el as HTMLButtonElement).type ?? '')}` : null;
    });
    // The username field has autofocus; from the top of the page (a click on the heading), Tab reaches it first.
    expect(await focused()).toBe('input#username');
    await page.getByRole('heading', { level: 1 }).click();
    expect(await focused()).toBe('body#');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('input#username');
    await page.keyboard.type(user.username);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('input#password');
    await page.keyboard.type(user.password);
    // The show-password toggle (its script runs here) comes next, then the button.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('input#checkbox');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button#submit');
    // The focused button shows a visible focus ring.
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('input#password');
    await page.keyboard.press('Enter');
    await expectSignedIn(page);
  });
});

describe('the login page as shipped', () => {
  const sizes = { desktop: { width: 1280, height: 800 }, mobile: { width: 390, height: 844 } } as const;
  for (const [size, viewport] of Object.entries(sizes)) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`renders cleanly at ${size} width (${viewport.width}x${viewport.height}), ${colorScheme} scheme`, async () => {
        const page = await newPage({ viewport, colorScheme, ...(size === 'mobile' ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
        await startSignIn(page);
        // Nothing wider than the screen, and the form fits without zooming.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
        const button = (await page.getByRole('button', { name: 'Sign in', exact: true }).boundingBox())!;
        expect(button.x).toBeGreaterThanOrEqual(0);
        expect(button.x + button.width).toBeLessThanOrEqual(viewport.width);
        expect(button.height).toBeGreaterThanOrEqual(40); // a comfortable touch target
        const scheme = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        expect(scheme).toBe(colorScheme === 'dark' ? 'rgb(17, 20, 24)' : 'rgb(244, 245, 247)');
        await screenshot(page, `login-${size}-${colorScheme}`);
      });
    }
  }
});

describe('the device flow verification page in Chromium', () => {
  it('enters the user code, signs in, allows the device, and the device gets its tokens', async () => {
    const started = await fetch(`${provider.issuer}/device_authorization`, {
      method: 'POST', body: new URLSearchParams({ client_id: DEVICE_CLIENT, scope: 'openid profile' }),
    });
    expect(started.status).toBe(200);
    const device = (await started.json()) as { device_code: string; user_code: string; verification_uri: string };

    const page = await newPage();
    await page.goto(device.verification_uri);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Connect a device');
    await screenshot(page, 'device-code');
    await page.getByLabel('Code').fill(device.user_code.toLowerCase().replace('-', ''));
    await page.getByRole('button', { name: 'Continue' }).click();
    await submitCredentials(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Allow E2E ${DEVICE_CLIENT}?`);
    await page.getByRole('button', { name: 'Allow' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Device connected');

    const token = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.device_code, client_id: DEVICE_CLIENT }),
    });
    expect(token.status).toBe(200);
    expect(await token.json()).toMatchObject({ token_type: 'Bearer', scope: 'openid profile' });
  });
});
