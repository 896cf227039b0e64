import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { digestToken, hashClientSecret, verifyClientSecret } from '../../src/crypto/digest.ts';

describe('digestToken', () => {
  it('is the base64url SHA-256 of the token', async () => {
    // SHA-256("abc"), FIPS 180-2 Appendix B.1.
    expect(await digestToken('abc')).toBe(base64url.encode(Uint8Array.from(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'.match(/../g)!.map((h) => parseInt(h, 16)),
    )));
  });

  it('encodes the token as UTF-8', async () => {
    expect(await digestToken('é')).not.toBe(await digestToken('e'));
    expect(await digestToken('é')).toBe(await digestToken('\u00e9'));
  });

  it('is 43 base64url characters', async () => {
    expect(await digestToken('')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('hashClientSecret and verifyClientSecret', () => {
  it('stores sha256$ and the digest, never the secret', async () => {
    const stored = await hashClientSecret('s3cret');
    expect(stored).toBe(`sha256$${await digestToken('s3cret')}`);
    expect(stored).not.toContain('s3cret');
  });

  it('verifies the right secret', async () => {
    expect(await verifyClientSecret('s3cret', await hashClientSecret('s3cret'))).toBe(true);
    expect(await verifyClientSecret('päss wörd:%', await hashClientSecret('päss wörd:%'))).toBe(true);
  });

  it('refuses a wrong, empty, longer or differently cased secret', async () => {
    const stored = await hashClientSecret('s3cret');
    for (const wrong of ['s3cres', '', 's3cret ', 'S3CRET', 's3cret\u0000']) {
      expect(await verifyClientSecret(wrong, stored)).toBe(false);
    }
  });

  it('refuses stored values in any other format', async () => {
    const digest = await digestToken('s3cret');
    for (const stored of [digest, `sha512$${digest}`, 'sha256$', 'sha256$!!!', `SHA256$${digest}`, 's3cret', '']) {
      expect(await verifyClientSecret('s3cret', stored)).toBe(false);
    }
  });
});
