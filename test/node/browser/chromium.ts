// Debian's Chromium under playwright-core (no downloaded browser builds): launch it, and watch pages for errors.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../../test-results/screenshots');

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-component-update', '--disable-sync',
    ],
  });
}

/** Everything a page reported that a product team would call a bug: console errors, page errors, CSP violations. */
export interface PageProblems {
  list: string[];
  /** Messages a test causes on purpose (e.g. the status line of a 401 page): each must occur, and is then not a problem. */
  expected: RegExp[];
}

/** The problems left after removing the expected ones; an expected message that never came is a problem too. */
export function unexpectedProblems(problems: PageProblems): string[] {
  const missing = problems.expected.filter((e) => !problems.list.some((m) => e.test(m))).map((e) => `expected but not seen: ${e}`);
  return [...problems.list.filter((m) => !problems.expected.some((e) => e.test(m))), ...missing];
}

/**
 * A fresh context (its own cookies) whose pages report console errors, uncaught errors and CSP violations
 * (the `securitypolicyviolation` event, forwarded through an exposed binding, which CSP does not block).
 */
export async function openContext(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const problems: PageProblems = { list: [], expected: [] };
  await context.exposeBinding('__reportCspViolation', (_source, text: string) => { problems.list.push(`CSP violation: ${text}`); });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCspViolation(text: string): void }).__reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${e.documentURI}`);
    });
  });
  context.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.list.push(`console ${message.type()}: ${message.text()} (${message.location().url})`);
  });
  context.on('weberror', (error) => { problems.list.push(`page error: ${error.error().message}`); });
  const page = await context.newPage();
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
