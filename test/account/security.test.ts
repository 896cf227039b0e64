// /account's two-step section: TOTP on (only after a correct code) and off, new recovery codes; all audited.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decryptData } from '../../src/crypto/data-key.ts';
import { RECOVERY_CODE_COUNT } from '../../src/crypto/recovery-codes.ts';
import { useRecoveryCode } from '../../src/mfa/recovery-codes.ts';
import { queryAuditEvents } from '../../src/store/audit.ts';
import { findTotpSecret } from '../../src/store/totp-secrets.ts';
import { importDataKeys } from '../../src/crypto/data-key.ts';
import { getAccount, signInToAccount } from '../helpers/account.ts';
import { outboxFor } from '../helpers/mail.ts';
import { createUser, form, hiddenTx, sessionCookie } from '../helpers/fixtures.ts';
import { codeNow, confirmTotp, enrolTotpOnAccount, holdMidStep, listedRecoveryCodes, startTotpEnrolment } from '../helpers/totp.ts';

const dataKeys = () => importDataKeys(env.DATA_ENCRYPTION_KEY);
const auditTypes = async (userId: string) => (await queryAuditEvents(env.DB, { userId })).map((e) => `${e.type}:${e.outcome}`);

async function signedIn() {
  const user = await createUser();
  const cookie = await signInToAccount(user);
  holdMidStep();
  return { user, cookie };
}

describe('/account: the authenticator app', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows a QR code (inline SVG) and the key, stores nothing until a correct code, then shows 10 recovery codes once', async () => {
    const { user, cookie } = await signedIn();
    expect(await (await getAccount(cookie)).text()).toContain('Authenticator app: <strong>off</strong>');
    const start = await form('/account/security/totp', {}, { Cookie: cookie });
    const html = await start.text();
    expect(html).toMatch(/<figure class="qr"[^>]*><svg [^>]*viewBox/);
    expect(html).not.toMatch(/otpauth:|<script|https?:\/\/(?!www\.w3\.org)/);
    const { secret, envelope } = await startTotpEnrolment(cookie);
    expect(await findTotpSecret(env.DB, user.id)).toBeNull();

    const wrong = await confirmTotp(cookie, envelope, (Number(await codeNow(secret)) ^ 1).toString().padStart(6, '0'));
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toContain('That code is not right');
    expect(await findTotpSecret(env.DB, user.id)).toBeNull();

    const ok = await confirmTotp(cookie, envelope, await codeNow(secret));
    const codes = listedRecoveryCodes(await ok.text());
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    const row = await findTotpSecret(env.DB, user.id);
    expect(row!.secret).toMatch(/^1\./);
    expect(await decryptData(await dataKeys(), row!.secret, { purpose: 'totp', subject: user.id })).toEqual(secret);
    // The app is now this user's second factor (MFA_POLICY=optional): the account page asks this one-factor session
    // for it, beside the recovery codes, before it shows itself. The next step's code: the one enrolled is spent.
    const asked = await (await getAccount(cookie)).text();
    expect(asked).toContain('name="factor" value="totp"');
    expect(asked).toContain('name="factor" value="recovery"');
    const raised = await form('/login/second-factor', { tx: hiddenTx(asked), factor: 'totp', code: await codeNow(secret, 1) }, { Cookie: cookie });
    expect(raised.headers.get('Location')).toBe('/account');
    expect(await (await getAccount(sessionCookie(raised))).text()).toContain(`Recovery codes: <strong>${RECOVERY_CODE_COUNT}</strong>`);
    expect(await auditTypes(user.id)).toEqual(expect.arrayContaining(['mfa.totp.enrol:failure', 'mfa.totp.enrol:success', 'mfa.recovery_codes.generate:success']));
    // Issue 14 flow 6: a change to the second factor mails a security notice with its "this wasn't me" link.
    await expect.poll(async () => (await outboxFor(`${user.username}@example.com`)).map((m) => m.subject)).toEqual([
      expect.stringContaining('Your two-step sign-in was changed'),
    ]);
    expect((await outboxFor(`${user.username}@example.com`))[0]!.text).toContain('/email/not-me?token=');
  });

  it('refuses a replayed enrolment page: after the first completes, and after TOTP is turned off again', async () => {
    const { user, cookie } = await signedIn();
    const { secret, envelope } = await startTotpEnrolment(cookie);
    expect((await confirmTotp(cookie, envelope, await codeNow(secret))).status).toBe(200);
    const replay = await confirmTotp(cookie, envelope, await codeNow(secret, 1));
    expect(replay.status).toBe(303);
    await form('/account/security/totp/disable', {}, { Cookie: cookie });
    expect(await findTotpSecret(env.DB, user.id)).toBeNull();
    const later = await confirmTotp(cookie, envelope, await codeNow(secret, -1));
    expect(later.status).toBe(303);
    expect(await findTotpSecret(env.DB, user.id)).toBeNull();
    expect(await auditTypes(user.id)).toContain('mfa.totp.disable:success');
  });

  it('answers hostile forms without a 500: no or forged or another user\'s envelope, non-digits, too long, no code', async () => {
    const { user, cookie } = await signedIn();
    const other = await signedIn();
    const { envelope } = await startTotpEnrolment(cookie);
    const { envelope: theirs } = await startTotpEnrolment(other.cookie);
    for (const body of [{} as Record<string, string>, { code: '123456' }, { enrolment: 'x.y.z', code: '123456' }, { enrolment: theirs, code: '123456' }, { enrolment: envelope.slice(0, -2), code: '123456' }]) {
      const res = await form('/account/security/totp/confirm', body, { Cookie: cookie });
      expect(res.status).toBe(303);
      expect(res.headers.get('Location')).toBe('/account');
    }
    for (const code of ['', 'abcdef', '12 34 5x', '1'.repeat(5000), '１２３４５６']) {
      const res = await confirmTotp(cookie, envelope, code);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('That code is not right');
    }
    expect(await findTotpSecret(env.DB, user.id)).toBeNull();
  });

  it('throttles wrong codes like passwords: 429 with the generic message after 5 per account', async () => {
    const { user, cookie } = await signedIn();
    const { envelope } = await startTotpEnrolment(cookie);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await confirmTotp(cookie, envelope, '000000')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const res = await confirmTotp(cookie, envelope, '000000');
    expect(res.status).toBe(429);
    expect(await res.text()).toContain('Too many attempts. Wait a few minutes and try again.');
    expect(await auditTypes(user.id)).toContain('mfa.throttled:failure');
  });

  it('needs a recent sign-in for every change', async () => {
    const { cookie } = await signedIn();
    vi.useFakeTimers({ now: Date.now() + 320_000, toFake: ['Date'] });
    for (const path of ['/account/security/totp', '/account/security/totp/disable', '/account/security/recovery-codes']) {
      const res = await form(path, {}, { Cookie: cookie });
      expect(await res.text()).toContain('name="password"');
    }
  });
});

describe('/account: recovery codes', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('makes a new set, shown once; the old set stops working', async () => {
    const { user, cookie } = await signedIn();
    const { codes: old } = await enrolTotpOnAccount(cookie);
    const res = await form('/account/security/recovery-codes', {}, { Cookie: cookie });
    const fresh = listedRecoveryCodes(await res.text());
    expect(fresh).toHaveLength(RECOVERY_CODE_COUNT);
    const keys = await dataKeys();
    expect(await useRecoveryCode(env.DB, keys, user.id, old[0]!, 1)).toBeNull();
    expect(await useRecoveryCode(env.DB, keys, user.id, fresh[0]!, 1)).toBe(RECOVERY_CODE_COUNT - 1);
    expect(await auditTypes(user.id)).toContain('mfa.recovery_codes.generate:success');
  });
});
