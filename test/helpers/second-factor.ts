// A test-only second factor registered in SECOND_FACTORS, and the requests that go through this isolate's table.
import { html } from 'hono/html';
import { afterEach, expect } from 'vitest';
import { SECOND_FACTORS, type SecondFactorMethod } from '../../src/interaction/second-factors.ts';
import { callWithEnv, ISSUER } from './fixtures.ts';

export const GOOD_CODE = '123456';
export const SLOW_CODE = '429429';
export const WRONG_CODE_ERROR = 'That code is not right.';

/** Users who have the fake factor; the challenges its pages were rendered with, as the factors see them. */
export const fakeFactorState = { enrolled: new Set<string>(), challenges: [] as string[], verified: [] as { userId: string; clientId: string; challenge: string }[] };

/** Accepts GOOD_CODE, throttles SLOW_CODE (429), refuses anything else; its enrolment shows two recovery codes. */
export const fakeFactor: SecondFactorMethod = {
  name: 'fake',
  amr: ['otp'],
  isEnrolled: async (_c, userId) => fakeFactorState.enrolled.has(userId),
  async render(_c, ctx) {
    fakeFactorState.challenges.push(ctx.challenge);
    return html`<label for="code">Code</label><input id="code" name="code"/><button type="submit">Verify</button>`;
  },
  async verify(_c, form, ctx) {
    const code = form.get('code');
    if (code === SLOW_CODE) return { ok: false, error: 'Too many attempts.', status: 429 };
    if (code !== GOOD_CODE) return { ok: false, error: WRONG_CODE_ERROR, status: 200 };
    fakeFactorState.verified.push(ctx);
    return form.get('interstitial') === '1' ? { ok: true, interstitial: { title: 'Codes left', message: '3 codes remain.' } } : { ok: true };
  },
  enrolment: {
    async render(_c, ctx) {
      fakeFactorState.challenges.push(ctx.challenge);
      return html`<input name="code"/><button type="submit">Set up</button>`;
    },
    async complete(_c, form, ctx) {
      if (form.get('code') !== GOOD_CODE) return { ok: false, error: WRONG_CODE_ERROR, status: 200 };
      fakeFactorState.enrolled.add(ctx.userId);
      return { ok: true, interstitial: { title: 'Recovery codes', message: 'Keep these.', codes: ['aaaa-bbbb', 'cccc-dddd'] } };
    },
  },
};

/** Registers the fake factor for the test file's tests and removes it after each. */
export function useFakeFactor(): void {
  afterEach(() => {
    delete SECOND_FACTORS.fake;
    fakeFactorState.enrolled.clear();
    fakeFactorState.challenges.length = 0;
    fakeFactorState.verified.length = 0;
  });
}

export function registerFakeFactor(...enrolledUserIds: string[]): void {
  SECOND_FACTORS.fake = fakeFactor;
  for (const id of enrolledUserIds) fakeFactorState.enrolled.add(id);
}

/** A same-origin form post in this isolate's module instance (so the table the test edits is the one used). */
export function postWith(vars: Record<string, string>, path: string, body: Record<string, string>, cookie?: string): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER };
  if (cookie) headers.Cookie = cookie;
  return callWithEnv(vars, path, { method: 'POST', headers, body: new URLSearchParams(body).toString() });
}

export function getWith(vars: Record<string, string>, path: string, cookie?: string): Promise<Response> {
  return callWithEnv(vars, path, cookie ? { headers: { Cookie: cookie } } : {});
}

/** The second-factor page: 200 (or `status`), its form posting to /login/second-factor; returns its html. */
export async function expectSecondFactorPage(res: Response, status = 200): Promise<string> {
  expect(res.status).toBe(status);
  const text = await res.text();
  expect(text).toContain('action="/login/second-factor"');
  return text;
}

/** The `name=value` of a cookie the response sets (with its __Host- prefix when it has one). */
export function setCookieValue(res: Response, name: string): string | null {
  const match = new RegExp(`((?:__Host-)?${name}=[^;]+)`).exec(res.headers.get('Set-Cookie') ?? '');
  return match ? match[1]! : null;
}
