// "Sign in with Upstream" in Chromium: a second edge-oidc under wrangler dev is the upstream (127.0.0.1; ours is on
// localhost, so each keeps its cookies). A first sign-in makes an account just in time; /account lists the link.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataKeys } from '../../../src/crypto/data-key.ts';
import { sealClientSecret } from '../../../src/upstream/secret.ts';
import { startDevServer, type DevServer } from '../helpers/dev-server.ts';
import { launchChromium, openContext, screenshot, unexpectedProblems } from './chromium.ts';

const SECRET = 'browser-upstream-client-secret-0123456789abcdefgh';
let up: DevServer;
let down: DevServer;
let browser: Browser;

beforeAll(async () => {
  [up, down] = await Promise.all([startDevServer(), startDevServer({ issuerHost: 'localhost', vars: { SIGNUP: 'open' } })]);
  await up.addUser({ username: 'dana', password: 'dana-upstream-horse-42', email: 'dana@example.org', name: 'Dana Up' });
  await up.addClient({ clientId: 'downstream', secret: SECRET, redirectUris: [`${down.issuer}/upstream/upstream/callback`] });
  const sealed = await sealClientSecret(await importDataKeys(down.secrets.DATA_ENCRYPTION_KEY!), 'upstream', SECRET);
  await down.execute(`INSERT INTO upstream_providers (name, kind, issuer, client_id, client_secret, scopes, trust_email, created_at, updated_at)
    VALUES ('upstream', 'oidc', '${up.issuer}', 'downstream', '${sealed}', '["openid","email","profile"]', 1, 1, 1)`);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([up?.stop(), down?.stop()]);
});

describe('sign in with an upstream provider in Chromium', () => {
  it('goes to the upstream, signs in there, comes back with a new account, and /account shows the link', async () => {
    const { context, page, problems } = await openContext(browser);
    try {
      await page.goto(`${down.issuer}/account`);
      await page.getByRole('button', { name: 'Sign in with Upstream' }).click();
      await page.waitForURL(`${up.issuer}/authorize?**`);
      await page.getByLabel('Username').fill('dana');
      await page.getByLabel('Password', { exact: true }).fill('dana-upstream-horse-42');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(`${down.issuer}/account`);
      const linked = await page.locator('#linked').innerText();
      expect(linked).toContain('Upstream');
      expect(linked).toContain('Unlink');
      await screenshot(page, 'upstream-linked');
      // The only way into this account: unlinking it is refused (a 400 page, which the console reports).
      problems.expected.push(/status of 400 .*\/account\/linked\/unlink/);
      await page.getByRole('button', { name: 'Unlink' }).click();
      expect(await page.locator('.alert').innerText()).toContain('last way to sign in');
    } finally {
      await context.close();
    }
    expect(unexpectedProblems(problems)).toEqual([]);
  });
});
