// The README's story, in Chromium: `npm run dev` (in a throwaway copy of the project), open the one printed
// URL, click "Sign in", enter the printed demo credentials, see the signed-in page and a protected API response.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortPair } from '../../../scripts/lib/net.ts';
import { launchChromium, openContext, screenshot, unexpectedProblems } from './chromium.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
let project: string;
let dev: ChildProcess;
let output = '';
let browser: Browser;

beforeAll(async () => {
  // A copy of what npm run dev reads, so .dev.vars and the local state are written there, not in the repo.
  project = mkdtempSync(join(tmpdir(), 'edge-oidc-dev-story-'));
  copyFileSync(join(ROOT, 'wrangler.toml'), join(project, 'wrangler.toml'));
  cpSync(join(ROOT, 'migrations'), join(project, 'migrations'), { recursive: true });
  for (const dir of ['src', 'node_modules']) symlinkSync(join(ROOT, dir), join(project, dir));
  const port = await freePortPair();
  dev = spawn(process.execPath, [join(ROOT, 'scripts/dev.ts'), '--port', String(port), '--ip', '127.0.0.1', '--var', `ISSUER:http://127.0.0.1:${port}`], {
    cwd: project, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  dev.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  dev.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const deadline = Date.now() + 150_000;
  // The banner comes last, once both Workers answer; its last line is the URL to open.
  while (!/^Open the demo[^\n]*\n {2}http\S+\n/m.test(output)) {
    if (dev.exitCode !== null) throw new Error(`npm run dev exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm run dev was not ready within 150 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (dev && dev.exitCode === null) {
    dev.kill('SIGTERM');
    await new Promise((r) => { dev.once('exit', r); setTimeout(r, 10_000); });
  }
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('npm run dev, as the README tells it', () => {
  it('prints one URL; opening it and signing in with the printed credentials shows a protected API response', async () => {
    const opened = /^ {2}(http\S+)$/m.exec(output)![1]!;
    // The banner names the issuer and the demo upstream's issuer (identifiers), and exactly one URL to open: the gateway's.
    const banner = output.slice(output.indexOf('edge-oidc (development)'), output.indexOf(`  ${opened}`) + opened.length + 2);
    expect(banner.match(/https?:\/\/[^\s'"]+/g)).toEqual([/issuer: +(\S+)/.exec(banner)![1], /upstream: +(\S+)/.exec(banner)![1], opened]);
    const username = /username (\S+) +password/.exec(output)![1]!;
    const password = /username \S+ +password (\S+)/.exec(output)![1]!;

    const { context, page, problems } = await openContext(browser);
    try {
      await page.goto(opened);
      await page.getByRole('link', { name: 'Sign in' }).click();
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(`${opened}/`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Hello, Demo User');
      expect(await page.locator('#api-status').textContent()).toBe('200');
      expect(JSON.parse((await page.locator('#api-response').textContent())!)).toMatchObject({ client_id: 'demo', scope: 'openid profile email' });
      await screenshot(page, 'dev-story-signed-in');
    } finally {
      await context.close();
    }
    expect(unexpectedProblems(problems)).toEqual([]);
  });
});
