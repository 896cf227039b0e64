import { base64url, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateSigningJwk, importKeySet } from '../../src/crypto/keys.ts';
import {
  computeAtHash, importEnvelopeKeys, KeyMissingError, openEnvelope, sealEnvelope, signAccessToken, signIdToken,
  verifyAccessToken, verifyIdTokenHint,
} from '../../src/crypto/jwt.ts';
import { nowSeconds } from '../../src/clock.ts';
import { ISSUER, sha256 } from '../helpers/fixtures.ts';
import { keySet as keys } from '../helpers/flow.ts';

afterEach(() => {
  vi.useRealTimers();
});

function accessClaims(overrides: Record<string, unknown> = {}) {
  const now = nowSeconds();
  return { iss: ISSUER, sub: 'u1', aud: ISSUER, client_id: 'c1', scope: 'openid', jti: 'j1', iat: now, exp: now + 60, ...overrides };
}

describe('computeAtHash (OIDC Core §3.1.3.6)', () => {
  it('is the base64url of the left half of the SHA-256 of the token', async () => {
    const digest = await sha256('token-value');
    expect(await computeAtHash('token-value')).toBe(base64url.encode(digest.slice(0, 16)));
    expect(await computeAtHash('token-value')).toHaveLength(22);
  });
});

describe('signAccessToken and verifyAccessToken', () => {
  it.each(['RS256', 'ES256'] as const)('round-trips an %s access token with typ at+jwt', async (alg) => {
    const keySet = await keys();
    const token = await signAccessToken(keySet, alg, accessClaims());
    expect(JSON.parse(atob(token.split('.')[0]!))).toMatchObject({ alg, typ: 'at+jwt', kid: keySet.signing.get(alg)!.kid });
    expect(await verifyAccessToken(keySet, ISSUER, token)).toMatchObject({ sub: 'u1', jti: 'j1' });
  });

  it('refuses an id_token (typ JWT) as an access token', async () => {
    const keySet = await keys();
    expect(await verifyAccessToken(keySet, ISSUER, await signIdToken(keySet, 'RS256', accessClaims()))).toBeNull();
  });

  it('refuses another issuer', async () => {
    const keySet = await keys();
    expect(await verifyAccessToken(keySet, ISSUER, await signAccessToken(keySet, 'ES256', accessClaims({ iss: 'https://evil.example' })))).toBeNull();
  });

  it.each(['sub', 'exp', 'jti', 'client_id'])('refuses a token without %s', async (claim) => {
    const keySet = await keys();
    const claims: Record<string, unknown> = accessClaims();
    delete claims[claim];
    expect(await verifyAccessToken(keySet, ISSUER, await signAccessToken(keySet, 'ES256', claims))).toBeNull();
  });

  it('refuses an expired token', async () => {
    const keySet = await keys();
    const now = nowSeconds();
    expect(await verifyAccessToken(keySet, ISSUER, await signAccessToken(keySet, 'ES256', accessClaims({ iat: now - 120, exp: now - 61 })))).toBeNull();
  });

  it('refuses a token signed by a key not in the set', async () => {
    const keySet = await keys();
    const stranger = await importKeySet(JSON.stringify({ keys: [await generateSigningJwk('RS256')] }));
    expect(await verifyAccessToken(keySet, ISSUER, await signAccessToken(stranger, 'RS256', accessClaims()))).toBeNull();
  });

  it('refuses a token whose kid names a key of another algorithm', async () => {
    const keySet = await keys();
    const rsaKid = keySet.signing.get('RS256')!.kid;
    const forged = await new SignJWT(accessClaims()).setProtectedHeader({ alg: 'ES256', kid: rsaKid, typ: 'at+jwt' }).sign(keySet.signing.get('ES256')!.key);
    expect(await verifyAccessToken(keySet, ISSUER, forged)).toBeNull();
  });

  it('refuses alg none and HS256 tokens', async () => {
    const keySet = await keys();
    const header = (h: object) => base64url.encode(JSON.stringify(h));
    const body = base64url.encode(JSON.stringify(accessClaims()));
    expect(await verifyAccessToken(keySet, ISSUER, `${header({ alg: 'none', typ: 'at+jwt' })}.${body}.`)).toBeNull();
    const hmac = await crypto.subtle.importKey('raw', new Uint8Array(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const hs = await new SignJWT(accessClaims()).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: keySet.signing.get('RS256')!.kid }).sign(hmac);
    expect(await verifyAccessToken(keySet, ISSUER, hs)).toBeNull();
  });

  it('refuses garbage', async () => {
    expect(await verifyAccessToken(await keys(), ISSUER, 'a.b.c')).toBeNull();
    expect(await verifyAccessToken(await keys(), ISSUER, '')).toBeNull();
  });

  it('throws KeyMissingError when no key of the algorithm is configured', async () => {
    const rsaOnly = await importKeySet(JSON.stringify({ keys: [await generateSigningJwk('RS256')] }));
    await expect(signIdToken(rsaOnly, 'ES256', {})).rejects.toBeInstanceOf(KeyMissingError);
  });
});

describe('verifyIdTokenHint', () => {
  it('accepts an id_token of ours even after it expired', async () => {
    const keySet = await keys();
    const now = nowSeconds();
    const token = await signIdToken(keySet, 'RS256', { iss: ISSUER, sub: 'u1', aud: 'c1', iat: now - 7200, exp: now - 3600 });
    expect((await verifyIdTokenHint(keySet, ISSUER, token))?.sub).toBe('u1');
  });

  it('refuses another issuer, a missing sub, a foreign key and garbage', async () => {
    const keySet = await keys();
    const stranger = await importKeySet(JSON.stringify({ keys: [await generateSigningJwk('RS256')] }));
    expect(await verifyIdTokenHint(keySet, ISSUER, await signIdToken(keySet, 'RS256', { iss: 'https://evil.example', sub: 'u1' }))).toBeNull();
    expect(await verifyIdTokenHint(keySet, ISSUER, await signIdToken(keySet, 'RS256', { iss: ISSUER }))).toBeNull();
    expect(await verifyIdTokenHint(keySet, ISSUER, await signIdToken(stranger, 'RS256', { iss: ISSUER, sub: 'u1' }))).toBeNull();
    expect(await verifyIdTokenHint(keySet, ISSUER, 'not.a.jwt')).toBeNull();
  });

  it('refuses our access tokens: same keys, but typ at+jwt (RFC 8725 §3.11)', async () => {
    const keySet = await keys();
    const claims = { iss: ISSUER, sub: 'u1', aud: 'c1', client_id: 'c1', jti: 'j1', exp: nowSeconds() + 60 };
    expect(await verifyIdTokenHint(keySet, ISSUER, await signAccessToken(keySet, 'ES256', claims))).toBeNull();
  });
});

describe('envelopes', () => {
  const secret = base64url.encode(new Uint8Array(32).fill(7));

  it('round-trip claims under the same typ', async () => {
    const key = await importEnvelopeKeys(secret);
    const sealed = await sealEnvelope(key, 'test+jwt', { a: 1 }, 60);
    expect(await openEnvelope(key, 'test+jwt', sealed)).toMatchObject({ a: 1 });
  });

  it('do not open under another typ', async () => {
    const key = await importEnvelopeKeys(secret);
    expect(await openEnvelope(key, 'session+jwt', await sealEnvelope(key, 'authz-request+jwt', { a: 1 }, 60))).toBeNull();
  });

  it('do not open with another key', async () => {
    const key = await importEnvelopeKeys(secret);
    const other = await importEnvelopeKeys(base64url.encode(new Uint8Array(32).fill(8)));
    expect(await openEnvelope(other, 'test+jwt', await sealEnvelope(key, 'test+jwt', { a: 1 }, 60))).toBeNull();
  });

  it('expire after their time to live', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const key = await importEnvelopeKeys(secret);
    const sealed = await sealEnvelope(key, 'test+jwt', { a: 1 }, 60);
    vi.setSystemTime(Date.now() + 61_000);
    expect(await openEnvelope(key, 'test+jwt', sealed)).toBeNull();
  });

  it('need a secret of at least 32 bytes', async () => {
    await expect(importEnvelopeKeys(base64url.encode(new Uint8Array(31)))).rejects.toBeInstanceOf(KeyMissingError);
    await expect(importEnvelopeKeys('')).rejects.toBeInstanceOf(KeyMissingError);
    await expect(importEnvelopeKeys('!!!')).rejects.toBeInstanceOf(KeyMissingError);
    // Every secret of a rotation list is checked, not only the first.
    await expect(importEnvelopeKeys(`${secret},${base64url.encode(new Uint8Array(31))}`)).rejects.toBeInstanceOf(KeyMissingError);
    await expect(importEnvelopeKeys(`${secret},!!!`)).rejects.toBeInstanceOf(KeyMissingError);
  });

  describe('across a rotation (SESSION_SECRET "new,old")', () => {
    const next = base64url.encode(new Uint8Array(32).fill(9));

    it('open what the old secret sealed, and seal with the new one only', async () => {
      const before = await importEnvelopeKeys(secret);
      const during = await importEnvelopeKeys(`${next}, ${secret}`);
      const after = await importEnvelopeKeys(next);
      const old = await sealEnvelope(before, 'test+jwt', { a: 1 }, 60);
      expect(await openEnvelope(during, 'test+jwt', old)).toMatchObject({ a: 1 });
      const fresh = await sealEnvelope(during, 'test+jwt', { b: 2 }, 60);
      expect(await openEnvelope(after, 'test+jwt', fresh)).toMatchObject({ b: 2 });
      expect(await openEnvelope(before, 'test+jwt', fresh)).toBeNull();
      // Once the old secret is removed, what it sealed no longer opens.
      expect(await openEnvelope(after, 'test+jwt', old)).toBeNull();
    });

    it('do not let an older secret open what the newer one refuses for another reason', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const during = await importEnvelopeKeys(`${next} ${secret}`);
      const expired = await sealEnvelope(during, 'test+jwt', { a: 1 }, 60);
      vi.setSystemTime(Date.now() + 61_000);
      expect(await openEnvelope(during, 'test+jwt', expired)).toBeNull();
      expect(await openEnvelope(during, 'session+jwt', await sealEnvelope(during, 'test+jwt', { a: 1 }, 60))).toBeNull();
    });

    it('take at most 4 secrets', async () => {
      await expect(importEnvelopeKeys(Array(5).fill(secret).join(','))).rejects.toThrow(/at most 4/);
      expect((await importEnvelopeKeys(Array(4).fill(secret).join(','))).open).toHaveLength(4);
    });
  });
});
