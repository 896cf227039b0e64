// Our QR encoder against uqr's (both after Nayuki's generator): the same matrix, module for module.
import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';
import { qrMatrix } from '../../src/ui/qr.ts';

const uri = (account: string) => `otpauth://totp/Acme%3A${encodeURIComponent(account)}?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme`;

describe('qrMatrix', () => {
  it('draws what uqr draws for byte-mode text at level M, across versions 1 to 40', () => {
    const texts = ['a', 'otpauth://', uri('alice'), uri('ådå.lovelace+Ω@example'), uri('x'.repeat(64)), uri('é'.repeat(64)), 'z'.repeat(1500), 'y'.repeat(2300)];
    for (let n = 0; n < 400; n += 37) texts.push(`h${'q'.repeat(n)}`);
    const versions = new Set<number>();
    for (const text of texts) {
      const expected = encode(text, { ecc: 'M', border: 0 });
      versions.add(expected.version);
      expect(qrMatrix(text), text.slice(0, 40)).toEqual(expected.data);
    }
    expect([...versions].some((v) => v >= 7)).toBe(true);
    expect(Math.max(...versions)).toBeGreaterThanOrEqual(32);
  });

  it('refuses text beyond version 40', () => {
    expect(() => qrMatrix('w'.repeat(3000))).toThrow(RangeError);
  });
});
