// The totp and recovery entries of SECOND_FACTORS, as the second-factor and enrolment pages call them.
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { importDataKeys } from '../../src/crypto/data-key.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { type SecondFactorContext, type SecondFactorResult, SECOND_FACTORS } from '../../src/interaction/second-factors.ts';
import { ensureRecoveryCodes } from '../../src/mfa/recovery-codes.ts';
import { queryAuditEvents } from '../../src/store/audit.ts';
import { resetUserMfa } from '../../src/store/cascades.ts';
import { findTotpSecret } from '../../src/store/totp-secrets.ts';
import { findUserById } from '../../src/store/users.ts';
import { accountLoginTx, getAccount } from '../helpers/account.ts';
import { createUser, postLogin, sessionCookie } from '../helpers/fixtures.ts';
import { isLoginPage } from '../helpers/flow.ts';
import { codeNow, holdMidStep, readEnrolmentPage, runWithServices } from '../helpers/totp.ts';
import { addPasskey, SoftAuthenticator } from '../helpers/webauthn.ts';

const { totp, recovery } = SECOND_FACTORS as Required<typeof SECOND_FACTORS>;
const ctxFor = (userId: string): SecondFactorContext => ({ userId, clientId: 'client-x', challenge: crypto.randomUUID() });

async function run(fn: (c: Parameters<Parameters<typeof runWithServices>[0]>[0]) => Promise<unknown>): Promise<unknown> {
  return (await runWithServices(async (c) => c.json({ value: (await fn(c)) ?? null }))).json().then((b) => (b as { value: unknown }).value);
}

async function enrolled() {
  const user = await createUser();
  const ctx = ctxFor(user.id);
  const html = String(await run(async (c) => totp!.enrolment!.render(c, ctx)));
  const { secret } = readEnrolmentPage(html);
  const done = (await run((c) => totp!.enrolment!.complete(c, new URLSearchParams({ factor: 'totp', code: '' }), ctx))) as SecondFactorResult;
  expect(done.ok).toBe(false);
  const ok = (await run(async (c) => totp!.enrolment!.complete(c, new URLSearchParams({ code: await codeNow(secret) }), ctx))) as SecondFactorResult;
  return { user, secret, ok };
}

beforeEach(holdMidStep);
afterEach(() => {
  vi.useRealTimers();
});

describe('SECOND_FACTORS.totp', () => {
  it('enrols during sign-in after a correct code only, with the recovery codes as the interstitial; amr otp', async () => {
    expect(totp!.amr).toEqual(['otp']);
    const { user, ok } = await enrolled();
    expect(ok.ok && ok.interstitial?.codes).toHaveLength(10);
    expect(await run((c) => totp!.isEnrolled(c, user.id))).toBe(true);
    expect(await run((c) => recovery!.isEnrolled(c, user.id))).toBe(true);
  });

  it('verifies a code once, audits success and failure, and refuses another user\'s secret', async () => {
    const { user, secret } = await enrolled();
    const code = await codeNow(secret, -1);
    const verify = (userId: string, c2 = code) => run((c) => totp!.verify(c, new URLSearchParams({ code: c2 }), ctxFor(userId)));
    expect(await verify(user.id)).toEqual({ ok: true });
    expect(await verify(user.id)).toEqual({ ok: false, error: expect.stringContaining('not right'), status: 200 });
    const other = await createUser();
    expect((await verify(other.id, await codeNow(secret))) as SecondFactorResult).toMatchObject({ ok: false, status: 200 });
    const types = (await queryAuditEvents(env.DB, { userId: user.id })).map((e) => `${e.type}:${e.outcome}:${e.detail}`);
    expect(types).toEqual(expect.arrayContaining(['mfa.totp.verify:success:null', 'mfa.totp.verify:failure:reused']));
  });

  it('re-encrypts a secret stored under an older DATA_ENCRYPTION_KEY after a successful check, off the response path', async () => {
    const { user, secret } = await enrolled();
    const rotated = { DATA_ENCRYPTION_KEY: `2:${randomToken(32)},${env.DATA_ENCRYPTION_KEY}` };
    const verify = async (code: string) => (await runWithServices(async (c) => c.json(await totp!.verify(c, new URLSearchParams({ code }), ctxFor(user.id))), {}, rotated)).json();
    expect((await findTotpSecret(env.DB, user.id))!.secret).toMatch(/^1\./);
    // The enrolment used the current step: the neighbours remain.
    expect(await verify(await codeNow(secret, -1))).toEqual({ ok: true });
    expect((await findTotpSecret(env.DB, user.id))!.secret).toMatch(/^2\./);
    expect(await verify(await codeNow(secret, 1))).toEqual({ ok: true });
  });
});

describe('SECOND_FACTORS.recovery', () => {
  it('counts once, tells how many remain, audits the use; a used code is refused; throttled after 5 wrong', async () => {
    const { user, ok } = await enrolled();
    const codes = ok.ok ? ok.interstitial!.codes! : [];
    const use = (code: string) => run((c) => recovery!.verify(c, new URLSearchParams({ recovery_code: code }), ctxFor(user.id)));
    expect(await use(codes[0]!)).toEqual({ ok: true, interstitial: { title: 'Recovery code used', message: '9 recovery codes remain.' } });
    expect(await use(codes[0]!)).toMatchObject({ ok: false, status: 200 });
    const audit = await queryAuditEvents(env.DB, { userId: user.id, type: 'mfa.recovery_code.use' });
    expect(audit.map((e) => `${e.outcome}:${e.detail}`)).toEqual(['failure:null', 'success:remaining=9']);
    for (let i = 0; i < 4; i++) await use('nope');
    expect(await use(codes[1]!)).toMatchObject({ ok: false, status: 429 });
  });

  it('is not offered without another second factor (no TOTP, no passkey), even with unused codes', async () => {
    const user = await createUser();
    await ensureRecoveryCodes(env.DB, await importDataKeys(env.DATA_ENCRYPTION_KEY), user.id, 1);
    expect(await run((c) => recovery!.isEnrolled(c, user.id))).toBe(false);
  });

  it('is offered beside a passkey, the only other factor, while codes are left; and answers from facts it is handed', async () => {
    const user = await createUser();
    await addPasskey(user.id, await SoftAuthenticator.create());
    expect(await run((c) => recovery!.isEnrolled(c, user.id))).toBe(false);
    await ensureRecoveryCodes(env.DB, await importDataKeys(env.DATA_ENCRYPTION_KEY), user.id, 1);
    expect(await run((c) => recovery!.isEnrolled(c, user.id))).toBe(true);
    expect(await run((c) => recovery!.isEnrolled(c, user.id, { hasPasskey: false, passkeyIds: [], totpSince: null, recoveryCodesLeft: 3 }))).toBe(false);
  });
});

describe('resetUserMfa', () => {
  it('removes TOTP and recovery codes, sets mfa_reset_at and ends the user\'s sessions', async () => {
    vi.useRealTimers();
    const { user } = await enrolled();
    // The password alone: a session at one factor, which the account page asks for the app (not a sign-in page).
    const signedIn = await postLogin(await accountLoginTx(), user.username, user.password);
    const cookie = sessionCookie(signedIn);
    expect(isLoginPage(await (await getAccount(cookie)).text())).toBe(false);
    expect(await resetUserMfa(env.DB, user.id)).toBe(true);
    expect(await findTotpSecret(env.DB, user.id)).toBeNull();
    const row = await env.DB.prepare('SELECT mfa_reset_at, (SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?1) AS n FROM users WHERE id = ?1')
      .bind(user.id).first<{ mfa_reset_at: number; n: number }>();
    expect(row!.n).toBe(0);
    expect(row!.mfa_reset_at).toBeGreaterThan(0);
    expect(isLoginPage(await (await getAccount(cookie)).text())).toBe(true);
    expect(await findUserById(env.DB, user.id)).not.toBeNull();
    expect(await resetUserMfa(env.DB, 'no-such-user')).toBe(false);
  });
});
