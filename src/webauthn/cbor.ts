// The CBOR (RFC 8949) WebAuthn answers use: CTAP2 canonical form (definite lengths, no tags or floats), small depth.
// Hand-written because the CBOR library cost 2.9 KiB of the bundle's gzip budget (docs/decisions.md, "Passkeys").

export type CborValue = number | string | boolean | null | Uint8Array | CborValue[] | CborMap;
/** A map's keys (integers or text) as property names, on an object without a prototype: "1", "-2", "fmt". */
export type CborMap = { [key: string]: CborValue };

const MAX_DEPTH = 4;

class CborError extends Error {}

function readLength(bytes: Uint8Array, info: number, at: number): [number, number] {
  if (info < 24) return [info, at];
  const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : 0;
  if (!size || at + size > bytes.length) throw new CborError('unsupported length');
  let n = 0;
  for (let i = 0; i < size; i++) n = n * 256 + bytes[at + i]!;
  return [n, at + size];
}

function readItem(bytes: Uint8Array, at: number, depth: number): [CborValue, number] {
  if (at >= bytes.length || depth > MAX_DEPTH) throw new CborError('truncated or too deep');
  const major = bytes[at]! >> 5;
  const info = bytes[at]! & 31;
  if (major === 7) {
    const simple: Record<number, CborValue> = { 20: false, 21: true, 22: null };
    if (!(info in simple)) throw new CborError('unsupported simple value');
    return [simple[info]!, at + 1];
  }
  const [n, next] = readLength(bytes, info, at + 1);
  if (major === 0) return [n, next];
  if (major === 1) return [-1 - n, next];
  if (major === 2 || major === 3) {
    if (next + n > bytes.length) throw new CborError('truncated string');
    const raw = bytes.slice(next, next + n);
    return [major === 2 ? raw : new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(raw), next + n];
  }
  if (major === 4) return readArray(bytes, n, next, depth);
  if (major === 5) return readMap(bytes, n, next, depth);
  throw new CborError('tags are not used by WebAuthn');
}

function readArray(bytes: Uint8Array, count: number, at: number, depth: number): [CborValue[], number] {
  const items: CborValue[] = [];
  for (let i = 0; i < count; i++) {
    const [item, next] = readItem(bytes, at, depth + 1);
    items.push(item);
    at = next;
  }
  return [items, at];
}

function readMap(bytes: Uint8Array, count: number, at: number, depth: number): [CborMap, number] {
  const map: CborMap = Object.create(null) as CborMap;
  for (let i = 0; i < count; i++) {
    const [key, afterKey] = readItem(bytes, at, depth + 1);
    if (typeof key !== 'number' && typeof key !== 'string') throw new CborError('map keys are integers or text');
    if (Object.hasOwn(map, String(key))) throw new CborError('duplicate map key');
    const [value, next] = readItem(bytes, afterKey, depth + 1);
    map[String(key)] = value;
    at = next;
  }
  return [map, at];
}

/** The first item in `bytes` and how many bytes it took; throws on anything else. */
export function decodeCborPrefix(bytes: Uint8Array): [CborValue, number] {
  return readItem(bytes, 0, 0);
}

/** The one item `bytes` holds; throws when bytes are left over. */
export function decodeCbor(bytes: Uint8Array): CborValue {
  const [value, size] = readItem(bytes, 0, 0);
  if (size !== bytes.length) throw new CborError('bytes after the item');
  return value;
}
