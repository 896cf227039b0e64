import { env } from 'cloudflare:workers';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateSigningJwk, importKeySet, KeyConfigError } from '../../src/crypto/keys.ts';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

function jwks(...keys: unknown[]): string {
  return JSON.stringify({ keys });
}

async function expectKeyConfigError(secret: string, message: string | RegExp): Promise<void> {
  const error = await importKeySet(secret).then(() => null, (err: unknown) => err);
  expect(error).toBeInstanceOf(KeyConfigError);
  expect((error as Error).message).toMatch(message);
}

describe('importKeySet', () => {
  it('imports the test secret with an RS256 and an ES256 signing key', async () => {
    const keys = await importKeySet(env.SIGNING_KEYS);
    expect([...keys.signing.keys()].sort()).toEqual(['ES256', 'RS256']);
    expect(keys.verifying.size).toBe(keys.publicJwks.keys.length);
  });

  it('publishes only the public members, with kid, alg and use', async () => {
    const rsa = await generateSigningJwk('RS256');
    const ec = await generateSigningJwk('ES256');
    const { publicJwks } = await importKeySet(jwks(rsa, ec));
    expect(publicJwks.keys).toEqual([
      { kty: 'RSA', n: rsa.n, e: rsa.e, kid: rsa.kid, alg: 'RS256', use: 'sig' },
      { kty: 'EC', crv: 'P-256', x: ec.x, y: ec.y, kid: ec.kid, alg: 'ES256', use: 'sig' },
    ]);
    for (const key of publicJwks.keys) for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
  });

  it('strips members it does not know, such as key_ops or x5c', async () => {
    const rsa = { ...(await generateSigningJwk('RS256')), key_ops: ['sign'], x5c: ['abc'], ext: true };
    const { publicJwks } = await importKeySet(jwks(rsa));
    expect(Object.keys(publicJwks.keys[0]!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });

  it('signs with the first key of each algorithm and verifies with all', async () => {
    const first = await generateSigningJwk('RS256');
    const second = await generateSigningJwk('RS256');
    const keys = await importKeySet(jwks(first, second));
    expect(keys.signing.get('RS256')?.kid).toBe(first.kid);
    expect([...keys.verifying.keys()]).toEqual([first.kid, second.kid]);
  });

  it('does not make the private keys extractable', async () => {
    const keys = await importKeySet(jwks(await generateSigningJwk('RS256')));
    expect(keys.signing.get('RS256')?.key.extractable).toBe(false);
  });

  it('refuses a secret that is not JSON', async () => {
    await expectKeyConfigError('{not json', /not valid JSON/);
  });

  it.each(['null', '[]', '"keys"', '{}', '{"keys":[]}', '{"keys":{}}'])('refuses %s as a JWKS', async (secret) => {
    await expectKeyConfigError(secret, /JWKS/);
  });

  it('refuses a key that is not a JSON object', async () => {
    await expectKeyConfigError(jwks(null), /JSON object/);
    await expectKeyConfigError(jwks('key'), /JSON object/);
    await expectKeyConfigError(jwks(await generateSigningJwk('RS256'), 42), /JSON object/);
  });

  it('refuses a key without a kid', async () => {
    const { kid: _, ...noKid } = await generateSigningJwk('RS256');
    await expectKeyConfigError(jwks(noKid), /kid/);
    await expectKeyConfigError(jwks({ ...noKid, kid: '' }), /kid/);
  });

  it('refuses an alg other than RS256 or ES256', async () => {
    const rsa = await generateSigningJwk('RS256');
    await expectKeyConfigError(jwks({ ...rsa, alg: 'PS256' }), /alg must be RS256 or ES256/);
    await expectKeyConfigError(jwks({ ...rsa, alg: undefined }), /alg must be RS256 or ES256/);
    await expectKeyConfigError(jwks({ ...rsa, alg: 'none' }), /alg must be RS256 or ES256/);
  });

  it('refuses a key whose kty does not match its alg', async () => {
    const rsa = await generateSigningJwk('RS256');
    await expectKeyConfigError(jwks({ ...rsa, alg: 'ES256' }), /kty does not match/);
  });

  it('refuses a set without an RS256 key (OIDC Discovery §3)', async () => {
    await expectKeyConfigError(jwks(await generateSigningJwk('ES256')), /RS256/);
  });

  it('refuses a duplicate kid', async () => {
    const rsa = await generateSigningJwk('RS256');
    const ec = await generateSigningJwk('ES256');
    await expectKeyConfigError(jwks(rsa, { ...ec, kid: rsa.kid }), /duplicate kid/);
  });

  it('refuses a public key alone', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    const pub: JWK = { ...(await exportJWK(publicKey)), kid: 'pub', alg: 'RS256' };
    await expectKeyConfigError(jwks(pub), /not a private key/);
  });

  it('refuses a key that cannot be imported', async () => {
    const rsa = await generateSigningJwk('RS256');
    await expectKeyConfigError(jwks({ ...rsa, n: 'AAAA' }), /cannot be imported/);
  });
});

describe('generateSigningJwk', () => {
  it.each(['RS256', 'ES256'] as const)('makes a private %s JWK whose kid is its thumbprint', async (alg) => {
    const jwk = await generateSigningJwk(alg);
    expect(jwk.alg).toBe(alg);
    expect(jwk.use).toBe('sig');
    expect(typeof jwk.d).toBe('string');
    expect(jwk.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('makes 2048-bit RSA keys', async () => {
    const jwk = await generateSigningJwk('RS256');
    expect(atob(jwk.n!.replace(/-/g, '+').replace(/_/g, '/')).length).toBe(256);
  });
});
