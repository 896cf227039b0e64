import { describe, expect, it } from 'vitest';
import { sha256, timingSafeEqual, timingSafeEqualStrings } from '../../src/crypto/compare.ts';

describe('timingSafeEqual', () => {
  it('is true for equal bytes', () => {
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(timingSafeEqual(new Uint8Array(), new Uint8Array())).toBe(true);
  });

  it('is false when any byte differs, first or last', () => {
    expect(timingSafeEqual(new Uint8Array([0, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([0x80]), new Uint8Array([0x00]))).toBe(false);
  });

  it('is false for different lengths, including a prefix', () => {
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array(), new Uint8Array([0]))).toBe(false);
  });
});

describe('timingSafeEqualStrings', () => {
  it('compares strings of any length', async () => {
    expect(await timingSafeEqualStrings('abc', 'abc')).toBe(true);
    expect(await timingSafeEqualStrings('abc', 'abd')).toBe(false);
    expect(await timingSafeEqualStrings('abc', 'abcd')).toBe(false);
    expect(await timingSafeEqualStrings('', '')).toBe(true);
    expect(await timingSafeEqualStrings('é', 'e\u0301')).toBe(false);
  });
});

describe('sha256', () => {
  it('digests to 32 bytes', async () => {
    expect((await sha256(new TextEncoder().encode('abc'))).byteLength).toBe(32);
  });
});
