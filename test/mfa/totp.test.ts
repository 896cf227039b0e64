// A TOTP code's check: each time step used once (concurrently too), ±1 step, throttled; enrolment by a correct code.
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newTotpSecret } from '../../src/crypto/totp.ts';
import { checkTotpCode, enrolTotp, pendingTotpSecret } from '../../src/mfa/totp.ts';
import { findTotpSecret } from '../../src/store/totp-secrets.ts';
import { importDataKeys } from '../../src/crypto/data-key.ts';
import { createUser } from '../helpers/fixtures.ts';
import { codeNow, holdMidStep, runWithServices } from '../helpers/totp.ts';

beforeEach(holdMidStep);
afterEach(() => {
  vi.useRealTimers();
});

async function check(userId: string, secret: Uint8Array, code: string, headers: Record<string, string> = {}): Promise<string> {
  return (await runWithServices(async (c) => c.text(await checkTotpCode(c, userId, secret, code, 'client-x')), headers)).text();
}

describe('checkTotpCode', () => {
  it('accepts the previous, current and next step once each; a used step is refused', async () => {
    const user = await createUser();
    const secret = newTotpSecret();
    for (const offset of [-1, 0, 1]) expect(await check(user.id, secret, await codeNow(secret, offset))).toBe('ok');
    for (const offset of [-1, 0, 1]) expect(await check(user.id, secret, await codeNow(secret, offset))).toBe('reused');
    expect(await check(user.id, secret, await codeNow(secret, 2))).toBe('wrong');
  });

  it('lets exactly one of concurrent uses of one code through', async () => {
    const user = await createUser();
    const secret = newTotpSecret();
    const code = await codeNow(secret);
    const results = await Promise.all(Array.from({ length: 5 }, () => check(user.id, secret, code)));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'reused')).toHaveLength(4);
  });

  it('keeps users apart: one user\'s used step does not block another\'s', async () => {
    const [a, b] = [await createUser(), await createUser()];
    const secret = newTotpSecret();
    const code = await codeNow(secret);
    expect(await check(a.id, secret, code)).toBe('ok');
    expect(await check(b.id, secret, code)).toBe('ok');
  });

  it('throttles per account after 5 wrong codes, a right code included, and per address after 50', async () => {
    const user = await createUser();
    const secret = newTotpSecret();
    for (let i = 0; i < 5; i++) expect(await check(user.id, secret, 'abc')).toBe('wrong');
    expect(await check(user.id, secret, await codeNow(secret))).toBe('throttled');
    const ip = { 'CF-Connecting-IP': `203.0.113.${Math.floor(Math.random() * 250)}` };
    const others = await Promise.all(Array.from({ length: 11 }, () => createUser()));
    const results = [];
    for (const other of others) for (let i = 0; i < 5; i++) results.push(await check(other.id, secret, '999999x', ip));
    expect(results.slice(0, 50).every((r) => r === 'wrong')).toBe(true);
    expect(results.slice(50)).toEqual(Array(5).fill('throttled'));
  });
});

describe('enrolTotp', () => {
  it('derives the same pending secret from the same challenge, another from another, and stores it after a correct code', async () => {
    const user = await createUser();
    const keys = await importDataKeys(env.DATA_ENCRYPTION_KEY);
    const challenge = crypto.randomUUID();
    const secret = await pendingTotpSecret(keys, user.id, challenge);
    expect(await pendingTotpSecret(keys, user.id, challenge)).toEqual(secret);
    expect(await pendingTotpSecret(keys, user.id, `${challenge}x`)).not.toEqual(secret);
    expect(await pendingTotpSecret(keys, `${user.id}x`, challenge)).not.toEqual(secret);
    const enrol = async (code: string) => (await runWithServices(async (c) => c.json(await enrolTotp(c, user.id, challenge, code, null)))).json();
    expect(await enrol('12345')).toEqual({ ok: false, check: 'wrong' });
    expect(await findTotpSecret(env.DB, user.id)).toBeNull();
    const done = (await enrol(await codeNow(secret))) as { ok: boolean; recoveryCodes: string[] };
    expect(done.ok).toBe(true);
    expect(done.recoveryCodes).toHaveLength(10);
    expect(await enrol(await codeNow(secret, 1))).toEqual({ ok: false, check: 'enrolled' });
  });
});
