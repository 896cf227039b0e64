// The CBOR decoder against RFC 8949 Appendix A's examples (the subset WebAuthn uses), what it refuses, and the
// COSE key example of WebAuthn L3 §6.5.1.1.
import { describe, expect, it } from 'vitest';
import { readCoseKey } from '../../src/crypto/webauthn.ts';
import { decodeCbor, decodeCborPrefix } from '../../src/webauthn/cbor.ts';
import { cbor, type Cbor } from '../helpers/webauthn.ts';

const hex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
const plain = (v: unknown): unknown => (v instanceof Uint8Array ? [...v] : Array.isArray(v) ? v.map(plain) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v);

describe('decodeCbor (RFC 8949 Appendix A)', () => {
  it.each([
    ['00', 0], ['17', 23], ['1818', 24], ['1903e8', 1000], ['1a000f4240', 1000000], ['20', -1], ['3863', -100], ['3903e7', -1000],
    ['40', []], ['4401020304', [1, 2, 3, 4]], ['60', ''], ['6161', 'a'], ['6449455446', 'IETF'], ['62225c', '"\\'], ['62c3bc', 'ü'],
    ['80', []], ['83010203', [1, 2, 3]], ['8301820203820405', [1, [2, 3], [4, 5]]], ['a0', {}], ['a201020304', { 1: 2, 3: 4 }],
    ['a26161016162820203', { a: 1, b: [2, 3] }], ['f4', false], ['f5', true], ['f6', null],
  ])('%s', (encoded, value) => {
    expect(plain(decodeCbor(hex(encoded)))).toEqual(value);
  });

  it.each([
    ['an 8-byte length', '1b0000000000000001'], ['a tag', 'c074323031332d30332d32315432303a30343a30305a'], ['a float', 'f90000'],
    ['an indefinite byte string', '5f42010243030405ff'], ['an indefinite array', '9f018202039f0405ffff'], ['undefined', 'f7'],
    ['a truncated string', '440102'], ['a duplicate map key', 'a2010201 03'.replace(' ', '')], ['a byte string as a map key', 'a1410102'],
    ['nesting beyond WebAuthn\'s depth', '8181818181818100'], ['nothing', ''], ['bytes left over', '0000'], ['invalid UTF-8 text', '61ff'],
  ])('refuses %s', (_name, encoded) => {
    expect(() => decodeCbor(hex(encoded))).toThrow();
  });

  it('reads the first item of a longer buffer and says how long it was (a COSE key before extensions)', () => {
    expect(decodeCborPrefix(hex('8201020a'))).toEqual([[1, 2], 3]);
  });
});

describe('readCoseKey', () => {
  // WebAuthn L3 §6.5.1.1: an EC2 key on P-256 for ES256.
  const x = hex('65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d');
  const y = hex('1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c');
  const key = (entries: [Cbor, Cbor][]) => cbor(new Map<Cbor, Cbor>(entries));

  it('reads the specification\'s ES256 example, and only the key\'s bytes when extensions follow', () => {
    const encoded = key([[1, 2], [3, -7], [-1, 1], [-2, x], [-3, y]]);
    expect(readCoseKey(encoded)).toEqual({ bytes: encoded, algorithm: -7 });
    expect(readCoseKey(new Uint8Array([...encoded, 0xa0]))?.bytes).toEqual(encoded);
  });

  it('refuses keys whose parameters do not fit their algorithm', () => {
    expect(readCoseKey(key([[1, 2], [3, -7], [-1, 2], [-2, x], [-3, y]]))).toBeNull();
    expect(readCoseKey(key([[1, 2], [3, -7], [-1, 1], [-2, x.slice(1)], [-3, y]]))).toBeNull();
    expect(readCoseKey(key([[1, 1], [3, -7], [-1, 1], [-2, x], [-3, y]]))).toBeNull();
    expect(readCoseKey(key([[1, 1], [3, -8], [-1, 6], [-2, x.slice(0, 31)]]))).toBeNull();
    expect(readCoseKey(key([[1, 3], [3, -257], [-1, new Uint8Array(128)], [-2, hex('010001')]]))).toBeNull();
    expect(readCoseKey(key([[1, 2], [3, -35], [-1, 2], [-2, x], [-3, y]]))).toBeNull();
    expect(readCoseKey(hex('ff'))).toBeNull();
  });
});
