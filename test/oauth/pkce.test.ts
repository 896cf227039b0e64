import { describe, expect, it } from 'vitest';
import { readCodeChallenge, verifyPkce } from '../../src/oauth/pkce.ts';
import { asyncOAuthErrorCode, oauthErrorCode } from '../helpers/errors.ts';
import { s256 } from '../helpers/fixtures.ts';

// RFC 7636 Appendix B.
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('readCodeChallenge', () => {
  it('returns null when neither challenge nor method is sent', () => {
    expect(readCodeChallenge(undefined, undefined)).toBeNull();
  });

  it('accepts an S256 challenge', () => {
    expect(readCodeChallenge(RFC_CHALLENGE, 'S256')).toBe(RFC_CHALLENGE);
  });

  it.each<[string, string | undefined, string | undefined]>([
    ['a method without a challenge', undefined, 'S256'],
    ['plain', RFC_CHALLENGE, 'plain'],
    ['a missing method (plain by default)', RFC_CHALLENGE, undefined],
    ['a lower-case method', RFC_CHALLENGE, 's256'],
    ['an unknown method', RFC_CHALLENGE, 'S512'],
    ['a 42-character challenge', RFC_CHALLENGE.slice(1), 'S256'],
    ['a 44-character challenge', `${RFC_CHALLENGE}A`, 'S256'],
    ['a padded challenge', `${RFC_CHALLENGE.slice(1)}=`, 'S256'],
    ['a base64 (not base64url) challenge', RFC_CHALLENGE.replace('-', '+'), 'S256'],
  ])('refuses %s with invalid_request', (_, challenge, method) => {
    expect(oauthErrorCode(() => readCodeChallenge(challenge, method))).toBe('invalid_request');
  });
});

describe('verifyPkce', () => {
  it('accepts the RFC 7636 Appendix B example', async () => {
    expect(await s256(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
    await expect(verifyPkce(RFC_VERIFIER, RFC_CHALLENGE)).resolves.toBeUndefined();
  });

  it('accepts verifiers of 43 and 128 characters from the whole unreserved set', async () => {
    for (const verifier of ['a'.repeat(43), `${'A-._~z9'.repeat(18)}xx`]) {
      expect(verifier.length === 43 || verifier.length === 128).toBe(true);
      await expect(verifyPkce(verifier, await s256(verifier))).resolves.toBeUndefined();
    }
  });

  it('accepts no verifier for a code without a challenge', async () => {
    await expect(verifyPkce(undefined, null)).resolves.toBeUndefined();
  });

  it.each<[string, string | undefined, string | null]>([
    ['a missing verifier', undefined, RFC_CHALLENGE],
    ['a wrong verifier', RFC_VERIFIER.replace('d', 'e'), RFC_CHALLENGE],
    ['a 42-character verifier', RFC_VERIFIER.slice(1), RFC_CHALLENGE],
    ['a 129-character verifier', 'a'.repeat(129), RFC_CHALLENGE],
    ['a verifier with a forbidden character', `${RFC_VERIFIER.slice(1)}+`, RFC_CHALLENGE],
    ['the challenge as the verifier', RFC_CHALLENGE, RFC_CHALLENGE],
    ['a verifier for a code without a challenge', RFC_VERIFIER, null],
  ])('refuses %s with invalid_grant', async (_, verifier, challenge) => {
    expect(await asyncOAuthErrorCode(verifyPkce(verifier, challenge))).toBe('invalid_grant');
  });
});
