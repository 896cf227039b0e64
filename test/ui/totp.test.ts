// The enrolment's QR code: drawn here as one SVG path, module for module the matrix uqr encodes for the URI.
import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';
import { en as t } from '../../src/i18n/en.ts';
import { TotpEnrolmentFields } from '../../src/ui/totp.ts';

const URI = 'otpauth://totp/Acme%3Aalice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme&algorithm=SHA1&digits=6&period=30';

describe('the TOTP enrolment fields', () => {
  it('draw exactly the dark modules of the QR code, and show the key in groups of four', async () => {
    const html = String(await TotpEnrolmentFields({ t, uri: URI, secretText: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' }));
    const { data, size } = encode(URI, { ecc: 'M', border: 4 });
    expect(html).toContain(`viewBox="0 0 ${size} ${size}"`);
    const drawn = data.map((row) => row.map(() => false));
    for (const [, x, y, w] of html.matchAll(/M(\d+) (\d+)h(\d+)v1H\d+z/g)) {
      for (let i = 0; i < Number(w); i++) drawn[Number(y)]![Number(x) + i] = true;
    }
    expect(drawn).toEqual(data);
    expect(html).toContain('<code class="totp-key">GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ</code>');
    expect(html).not.toContain('otpauth:');
  });
});
