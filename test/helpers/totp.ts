// TOTP in tests: the code an authenticator app would show, and turning TOTP on through /account as a browser does.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import type { Handler } from 'hono';
import { Hono } from 'hono/tiny';
import { expect, vi } from 'vitest';
import { totpCode, totpStep } from '../../src/crypto/totp.ts';
import type { AppEnv } from '../../src/env.ts';
import { services } from '../../src/middleware/services.ts';
import { form } from './fixtures.ts';
import { postAccount } from './account.ts';

/** Holds Date in the middle of the current 30 s step, so a code computed by a test cannot cross a step boundary. */
export function holdMidStep(): void {
  vi.useFakeTimers({ now: Math.floor(Date.now() / 30_000) * 30_000 + 15_000, toFake: ['Date'] });
}

/** The code of the step `offset` steps from now, as the app computes it from the key it was shown. */
export function codeNow(secret: Uint8Array, offset = 0): Promise<string> {
  return totpCode(secret, totpStep(Math.floor(Date.now() / 1000)) + offset);
}

/** What the enrolment page shows and posts: the key (decoded from its text) and the signed enrolment field. */
export function readEnrolmentPage(html: string): { secret: Uint8Array; envelope: string | null } {
  const key = /<code class="totp-key">([A-Z2-7 ]+)<\/code>/.exec(html)?.[1];
  if (!key) throw new Error(`no TOTP key on the page: ${html.slice(0, 200)}`);
  const envelope = /name="enrolment" value="([^"]+)"/.exec(html)?.[1] ?? null;
  return { secret: decodeBase32IgnorePadding(key.replace(/ /g, '')), envelope };
}

/** The recovery codes a page lists. */
export function listedRecoveryCodes(html: string): string[] {
  return [...html.matchAll(/<li><code>([0-9a-z]{5}-[0-9a-z]{5})<\/code><\/li>/g)].map((m) => m[1]!);
}

/** Starts an enrolment on /account (signed in with `cookie`). */
export async function startTotpEnrolment(cookie: string): Promise<{ secret: Uint8Array; envelope: string }> {
  const res = await form('/account/security/totp', {}, { Cookie: cookie });
  expect(res.status).toBe(200);
  const page = readEnrolmentPage(await res.text());
  return { secret: page.secret, envelope: page.envelope! };
}

export function confirmTotp(cookie: string, envelope: string, code: string): Promise<Response> {
  // In dev mode, as the account page's notices go to the dev outbox.
  return postAccount(cookie, '/account/security/totp/confirm', { enrolment: envelope, code });
}

/** Turns TOTP on for the signed-in user: the secret their app holds and the recovery codes shown once. */
export async function enrolTotpOnAccount(cookie: string): Promise<{ secret: Uint8Array; codes: string[] }> {
  const { secret, envelope } = await startTotpEnrolment(cookie);
  const res = await confirmTotp(cookie, envelope, await codeNow(secret));
  expect(res.status).toBe(200);
  return { secret, codes: listedRecoveryCodes(await res.text()) };
}

/** Runs `handler` inside the Worker's services middleware, as a step would, its waitUntil work awaited. */
export async function runWithServices(handler: Handler<AppEnv>, headers: Record<string, string> = {}, overrides: Partial<typeof env> = {}): Promise<Response> {
  const app = new Hono<AppEnv>().use(services()).post('/run', handler);
  const ctx = createExecutionContext();
  const res = await app.request('/run', { method: 'POST', headers }, { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
