import { describe, expect, it } from 'vitest';
import { matchTotpStep, otpauthUri, totpCode, totpSecretText, totpStep } from '../../src/crypto/totp.ts';

// RFC 6238 Appendix B, the SHA-1 rows: the 20-byte ASCII seed "12345678901234567890".
const SEED = new TextEncoder().encode('12345678901234567890');
const VECTORS: [number, string][] = [
  [59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'],
  [1234567890, '89005924'], [2000000000, '69279037'], [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('at T=%i gives %s (8 digits) and its last 6 digits', async (time, code) => {
    expect(await totpCode(SEED, totpStep(time), 8)).toBe(code);
    expect(await totpCode(SEED, totpStep(time))).toBe(code.slice(2));
  });

  it('accepts the codes of the previous, current and next step, and no other', async () => {
    const now = 1111111111;
    const step = totpStep(now);
    for (const d of [-1, 0, 1]) expect(await matchTotpStep(SEED, await totpCode(SEED, step + d), now)).toBe(step + d);
    for (const d of [-3, -2, 2, 3]) expect(await matchTotpStep(SEED, await totpCode(SEED, step + d), now)).toBeNull();
  });

  it('refuses anything but six digits before any HMAC', async () => {
    const now = 1111111111;
    const code = await totpCode(SEED, totpStep(now));
    for (const bad of ['', `${code}0`, code.slice(1), ` ${code}`, '12a456', '１２３４５６', '-12345']) {
      expect(await matchTotpStep(SEED, bad, now)).toBeNull();
    }
  });

  it('writes the key as base32 and the otpauth URI with issuer and account', () => {
    expect(totpSecretText(SEED)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    const text = otpauthUri(SEED, 'Acme ID', 'alice');
    expect(text.startsWith('otpauth://totp/Acme%20ID%3Aalice?')).toBe(true);
    const uri = new URL(text);
    expect(uri.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(uri.searchParams.get('issuer')).toBe('Acme ID');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
  });
});
