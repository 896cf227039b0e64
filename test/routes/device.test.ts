import { describe, expect, it } from 'vitest';
import { normalizeUserCode, generateUserCode } from '../../src/oauth/user-code.ts';
import { call, form } from '../helpers/fixtures.ts';

describe('device verification page (RFC 8628 §3.3)', () => {
  it('the verification page refuses a wrong code without revealing anything, and escapes input', async () => {
    const res = await form('/device', { user_code: '<script>x</script>' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('not valid or has expired');
    expect(html).not.toContain('<script>x');
    const page = await call('/device?user_code=BCDF-GHJK');
    expect(await page.text()).toContain('value="BCDF-GHJK"');
  });

  it('user codes: alphabet, normalisation', () => {
    for (let i = 0; i < 50; i++) expect(generateUserCode()).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
    expect(normalizeUserCode('bcdf-ghjk')).toBe('BCDFGHJK');
    expect(normalizeUserCode(' BCDF GHJK ')).toBe('BCDFGHJK');
    expect(normalizeUserCode('AEIO-UBCD')).toBeNull();
    expect(normalizeUserCode('BCDF')).toBeNull();
  });
});
