// Recovery codes: ten 50-bit codes, keyed digests at rest, each used once (concurrently too), regeneration voids the old.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { importDataKeys } from '../../src/crypto/data-key.ts';
import { normalizeRecoveryCode, RECOVERY_CODE_COUNT } from '../../src/crypto/recovery-codes.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { ensureRecoveryCodes, regenerateRecoveryCodes, useRecoveryCode } from '../../src/mfa/recovery-codes.ts';
import { countUnusedRecoveryCodes } from '../../src/store/recovery-codes.ts';
import { createUser } from '../helpers/fixtures.ts';

const keys = () => importDataKeys(env.DATA_ENCRYPTION_KEY);

describe('recovery codes', () => {
  it('makes ten distinct xxxxx-xxxxx codes, stores only digests, and makes none while unused ones remain', async () => {
    const user = await createUser();
    const codes = (await ensureRecoveryCodes(env.DB, await keys(), user.id, 1))!;
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    const { results } = await env.DB.prepare('SELECT code_hash FROM recovery_codes WHERE user_id = ?').bind(user.id).all<{ code_hash: string }>();
    expect(results).toHaveLength(RECOVERY_CODE_COUNT);
    for (const { code_hash } of results) for (const code of codes) expect(code_hash).not.toContain(code.replace('-', ''));
    expect(await ensureRecoveryCodes(env.DB, await keys(), user.id, 2)).toBeNull();
  });

  it('uses a code once and says how many remain; typed in capitals, without the dash or with spaces it is the same code', async () => {
    const user = await createUser();
    const k = await keys();
    const codes = (await ensureRecoveryCodes(env.DB, k, user.id, 1))!;
    expect(await useRecoveryCode(env.DB, k, user.id, ` ${codes[0]!.toUpperCase()} `, 2)).toBe(9);
    expect(await useRecoveryCode(env.DB, k, user.id, codes[0]!, 3)).toBeNull();
    expect(await useRecoveryCode(env.DB, k, user.id, codes[1]!.replace('-', ''), 4)).toBe(8);
    for (const junk of ['', 'x', '0'.repeat(10), codes[2]!.slice(0, 9), `${codes[2]}0`, 'ü'.repeat(10), 'a'.repeat(100_000)]) {
      expect(await useRecoveryCode(env.DB, k, user.id, junk, 5)).toBeNull();
    }
    expect(await countUnusedRecoveryCodes(env.DB, user.id)).toBe(8);
  });

  it('lets exactly one of concurrent uses of one code through', async () => {
    const user = await createUser();
    const k = await keys();
    const [code] = (await ensureRecoveryCodes(env.DB, k, user.id, 1))!;
    const results = await Promise.all(Array.from({ length: 4 }, () => useRecoveryCode(env.DB, k, user.id, code!, 2)));
    expect(results.filter((r) => r !== null)).toEqual([9]);
  });

  it('accepts no other user\'s code', async () => {
    const [a, b] = [await createUser(), await createUser()];
    const k = await keys();
    const [code] = (await ensureRecoveryCodes(env.DB, k, a.id, 1))!;
    await ensureRecoveryCodes(env.DB, k, b.id, 1);
    expect(await useRecoveryCode(env.DB, k, b.id, code!, 2)).toBeNull();
  });

  it('regenerating voids the whole old set, used or not', async () => {
    const user = await createUser();
    const k = await keys();
    const old = (await ensureRecoveryCodes(env.DB, k, user.id, 1))!;
    await useRecoveryCode(env.DB, k, user.id, old[0]!, 2);
    const fresh = await regenerateRecoveryCodes(env.DB, k, user.id, 3);
    for (const code of old) expect(await useRecoveryCode(env.DB, k, user.id, code, 4)).toBeNull();
    expect(await countUnusedRecoveryCodes(env.DB, user.id)).toBe(RECOVERY_CODE_COUNT);
    expect(await useRecoveryCode(env.DB, k, user.id, fresh[9]!, 5)).toBe(9);
  });

  it('after a DATA_ENCRYPTION_KEY rotation, codes made under the old key still work', async () => {
    const user = await createUser();
    const [v1, v2] = [`1:${randomToken(32)}`, `2:${randomToken(32)}`];
    const codes = (await ensureRecoveryCodes(env.DB, await importDataKeys(v1), user.id, 1))!;
    expect(await useRecoveryCode(env.DB, await importDataKeys(`${v2},${v1}`), user.id, codes[0]!, 2)).toBe(9);
    expect(await useRecoveryCode(env.DB, await importDataKeys(v2), user.id, codes[1]!, 3)).toBeNull();
  });

  it('reads o, i and l as the digits they resemble', () => {
    expect(normalizeRecoveryCode('OIL23-45678')).toBe('01123' + '45678');
    expect(normalizeRecoveryCode('uuuuu-uuuuu')).toBeNull();
  });
});
