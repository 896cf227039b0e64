// The account page in Chromium: changing the password, and signing out everywhere else, each reading its mail
// (the security notice, the reset link) from the dev outbox page (/dev/mail).
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../helpers/dev-server.ts';
import { launchChromium, openContext, type PageProblems, screenshot, unexpectedProblems } from './chromium.ts';

let provider: DevServer;
let browser: Browser;
const open: { problems: PageProblems; close(): Promise<void> }[] = [];
const ada = { username: 'account-ada', password: 'account-old-passphrase-17', email: 'ada@example.com', name: 'Ada Account' };
const bob = { username: 'account-bob', password: 'account-bob-passphrase-23', email: 'bob@example.com', name: 'Bob Account' };
const NEW_PASSWORD = 'a fresh and long passphrase';

beforeAll(async () => {
  provider = await startDevServer({ devMode: true });
  await provider.addUser(ada);
  await provider.addUser(bob);
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

/** A browser of its own (its own cookies): one per device in these journeys. */
async function newDevice(): Promise<Page> {
  const { context, page, problems } = await openContext(browser);
  open.push({ problems, close: () => context.close() });
  return page;
}

async function signIn(page: Page, user: { username: string }, password: string): Promise<void> {
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${provider.issuer}/account`);
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your account');
}

async function openAccount(page: Page, user: { username: string; password: string }): Promise<void> {
  await page.goto(`${provider.issuer}/account`);
  await signIn(page, user, user.password);
}

/** The newest mail to the address with this subject, from the outbox page: the first link under `path`. */
async function linkFromOutbox(page: Page, to: string, subject: string, path: string): Promise<string> {
  // Mail goes out after the response (waitUntil): poll the outbox page briefly.
  for (let i = 0; i < 20; i++) {
    await page.goto(`${provider.issuer}/dev/mail`);
    const message = page.locator('article').filter({ hasText: `To ${to}` }).filter({ hasText: subject }).first();
    if (await message.count()) {
      const href = await message.locator(`a[href*="${path}?token="]`).first().getAttribute('href');
      if (href) return href;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no "${subject}" mail to ${to}`);
}

async function signedOut(page: Page): Promise<boolean> {
  await page.goto(`${provider.issuer}/account`);
  return (await page.getByRole('heading', { level: 1 }).textContent()) !== 'Your account';
}

describe('the account page in Chromium', () => {
  it('changes the password: every session ends, a notice is mailed, and the new password signs in', async () => {
    const [laptop, phone, mailbox] = [await newDevice(), await newDevice(), await newDevice()];
    await openAccount(laptop, ada);
    await openAccount(phone, ada);
    await laptop.getByLabel('Current password').fill(ada.password);
    await laptop.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await laptop.getByLabel('New password again').fill(NEW_PASSWORD);
    await screenshot(laptop, 'account-change-password');
    await laptop.getByRole('button', { name: 'Change password' }).click();
    await expect(laptop.getByRole('status').textContent()).resolves.toContain('Your password was changed');

    const notMe = await linkFromOutbox(mailbox, ada.email, 'Your password was changed', '/email/not-me');
    expect(notMe).toMatch(/\/email\/not-me\?token=[A-Za-z0-9_-]{43}$/);
    expect(await signedOut(phone)).toBe(true);
    // Sessions authenticated in the second of the change count as ended (whole seconds): wait it out.
    await new Promise((r) => setTimeout(r, 1100));
    await signIn(laptop, ada, NEW_PASSWORD);
  });

  it('signs out every other session, then "this wasn\'t me" ends the rest and mails a reset link', async () => {
    const [laptop, phone, mailbox] = [await newDevice(), await newDevice(), await newDevice()];
    await openAccount(phone, bob);
    await openAccount(laptop, bob);
    await expect(laptop.locator('#sessions li[aria-current="true"]').textContent()).resolves.toContain('this device');
    await laptop.getByRole('button', { name: 'Sign out all other sessions' }).click();
    await expect(laptop.getByRole('status').textContent()).resolves.toBe('Every other session was signed out.');
    await screenshot(laptop, 'account-sessions');
    expect(await signedOut(phone)).toBe(true);

    // A change of address mails a notice to the old one; its link signs out the laptop too.
    await laptop.getByLabel('Email').fill('bob-new@example.com');
    await laptop.getByRole('button', { name: 'Change email' }).click();
    await expect(laptop.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Check your email');
    const notMe = await linkFromOutbox(mailbox, bob.email, 'Your email address was changed', '/email/not-me');
    await phone.goto(notMe);
    await phone.getByRole('button', { name: 'Secure my account' }).click();
    await expect(phone.getByRole('status').textContent()).resolves.toContain('Every session of your account was signed out');
    expect(await signedOut(laptop)).toBe(true);
    await linkFromOutbox(mailbox, 'bob-new@example.com', 'Reset your password', '/password/reset');
  });
});
