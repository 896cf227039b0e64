import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { PBKDF2_ITERATIONS, PBKDF2_MAX_ITERATIONS } from '../../src/constants.ts';
import { hashPassword, importPeppers, parsePasswordHash, verifyDummyPassword, verifyPassword } from '../../src/crypto/password.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { peppers } from '../helpers/fixtures.ts';

describe('password hashing', () => {
  it('never exceeds the 100,000-iteration cap of production workerd', () => {
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    expect(PBKDF2_MAX_ITERATIONS).toBeLessThanOrEqual(100_000);
  });

  it('stores a self-describing string with iterations, pepper id, 16-byte salt and 32-byte hash', async () => {
    const stored = await hashPassword('correct horse battery', await peppers());
    expect(stored).toMatch(/^\$pbkdf2-sha256\$i=100000,p=1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    const parsed = parsePasswordHash(stored)!;
    expect(parsed.salt.byteLength).toBe(16);
    expect(parsed.hash.byteLength).toBe(32);
  });

  it('salts: the same password hashes differently twice', async () => {
    const p = await peppers();
    expect(await hashPassword('same password', p)).not.toBe(await hashPassword('same password', p));
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const p = await peppers();
    const stored = await hashPassword('s3cret-passphrase', p);
    expect(await verifyPassword('s3cret-passphrase', stored, p)).toEqual({ ok: true, needsRehash: false });
    expect((await verifyPassword('s3cret-passphrasE', stored, p)).ok).toBe(false);
  });

  it('depends on the pepper: a stolen hash is useless without the Worker secret', async () => {
    const stored = await hashPassword('s3cret-passphrase', await peppers());
    const otherPepper = await importPeppers(`1:${randomToken(32)}`);
    expect((await verifyPassword('s3cret-passphrase', stored, otherPepper)).ok).toBe(false);
  });

  it('verifies old hashes after pepper rotation and asks for a rehash', async () => {
    const oldSecret = `1:${randomToken(32)}`;
    const stored = await hashPassword('rotate me please', await importPeppers(oldSecret));
    const rotated = await importPeppers(`2:${randomToken(32)},${oldSecret}`);
    expect(await verifyPassword('rotate me please', stored, rotated)).toEqual({ ok: true, needsRehash: true });
    expect(await hashPassword('rotate me please', rotated)).toContain(',p=2$');
  });

  it('asks for a rehash when the iteration count is older', async () => {
    const p = await peppers();
    const stored = await hashPassword('fewer iterations', p, 50_000);
    expect(await verifyPassword('fewer iterations', stored, p)).toEqual({ ok: true, needsRehash: true });
  });

  it('refuses out-of-range or malformed stored hashes before deriving anything', async () => {
    const p = await peppers();
    const good = await hashPassword('x-password', p);
    const salt = base64url.encode(new Uint8Array(16));
    const hash = base64url.encode(new Uint8Array(32));
    const bad = [
      good.replace('i=100000', 'i=100001'),
      good.replace('i=100000', 'i=9999999'),
      good.replace('i=100000', 'i=1000'),
      `$pbkdf2-sha256$i=100000,p=1$${base64url.encode(new Uint8Array(8))}$${hash}`,
      `$pbkdf2-sha256$i=100000,p=1$${salt}$${base64url.encode(new Uint8Array(16))}`,
      `$pbkdf2-sha512$i=100000,p=1$${salt}$${hash}`,
      `$pbkdf2-sha256$i=100000,p=9$${salt}$${hash}`,
      '',
      'plaintext',
    ];
    for (const stored of bad) expect((await verifyPassword('x-password', stored, p)).ok, stored).toBe(false);
    expect(parsePasswordHash(good.replace('i=100000', 'i=100001'))).toBeNull();
  });

  it('fails the dummy verification used for unknown users', async () => {
    expect((await verifyDummyPassword('anything', await peppers())).ok).toBe(false);
  });

  it('rejects malformed pepper secrets', async () => {
    await expect(importPeppers('')).rejects.toThrow();
    await expect(importPeppers('1:short')).rejects.toThrow();
    await expect(importPeppers(`1:${randomToken(32)},1:${randomToken(32)}`)).rejects.toThrow(/duplicate/);
  });
});
