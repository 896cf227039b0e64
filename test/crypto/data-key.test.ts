import { base64url } from 'jose';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { decryptData, encryptData, importDataKeys } from '../../src/crypto/data-key.ts';
import { randomToken } from '../../src/crypto/random.ts';

const bytes = new TextEncoder().encode('a TOTP secret!!');
const alice = { purpose: 'totp', subject: 'user-alice' };

describe('DATA_ENCRYPTION_KEY (AES-256-GCM at rest)', () => {
  it('round-trips under the generated secret, with a fresh IV each time', async () => {
    const keys = await importDataKeys(env.DATA_ENCRYPTION_KEY);
    const [a, b] = [await encryptData(keys, bytes, alice), await encryptData(keys, bytes, alice)];
    expect(a).toMatch(/^1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(await decryptData(keys, a, alice)).toEqual(bytes);
  });

  it('rotates: the newest key encrypts, an older listed key still decrypts, a removed one does not', async () => {
    const [v1, v2] = [`1:${randomToken(32)}`, `2:${randomToken(32)}`];
    const old = await encryptData(await importDataKeys(v1), bytes, alice);
    const both = await importDataKeys(`${v2},${v1}`);
    expect(await decryptData(both, old, alice)).toEqual(bytes);
    const fresh = await encryptData(both, bytes, alice);
    expect(fresh.startsWith('2.')).toBe(true);
    expect(await decryptData(await importDataKeys(v2), old, alice)).toBeNull();
    expect(await decryptData(await importDataKeys(v2), fresh, alice)).toEqual(bytes);
  });

  it('refuses a value moved to another user or purpose, altered, or relabelled as another version', async () => {
    const keys = await importDataKeys(`2:${randomToken(32)},1:${randomToken(32)}`);
    const stored = await encryptData(keys, bytes, alice);
    expect(await decryptData(keys, stored, { purpose: 'totp', subject: 'user-mallory' })).toBeNull();
    expect(await decryptData(keys, stored, { purpose: 'client-secret', subject: 'user-alice' })).toBeNull();
    const [id, iv, ct] = stored.split('.') as [string, string, string];
    const flipped = base64url.decode(ct);
    flipped[0]! ^= 1;
    expect(await decryptData(keys, `${id}.${iv}.${base64url.encode(flipped)}`, alice)).toBeNull();
    expect(await decryptData(keys, `1.${iv}.${ct}`, alice)).toBeNull();
    for (const junk of ['', 'x', `${id}.${iv}`, `9.${iv}.${ct}`, `${id}.${iv}.${ct}.x`]) expect(await decryptData(keys, junk, alice)).toBeNull();
  });

  it('refuses a malformed secret: empty, not 32 bytes, duplicate ids', async () => {
    await expect(importDataKeys('')).rejects.toThrow(/empty/);
    await expect(importDataKeys(`1:${randomToken(16)}`)).rejects.toThrow();
    await expect(importDataKeys(`1:${randomToken(48)}`)).rejects.toThrow(/32 bytes/);
    await expect(importDataKeys(`1:${randomToken(32)},1:${randomToken(32)}`)).rejects.toThrow(/duplicate/);
    const standard = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    await expect(importDataKeys(`1:${standard}`)).resolves.toBeDefined();
  });
});
