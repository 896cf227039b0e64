// WebAuthn signatures with WebCrypto: a credential's COSE key (RFC 9052 §7) imported, an assertion's signature checked.
import { base64url } from 'jose';
import { type CborMap, decodeCborPrefix } from '../webauthn/cbor.ts';
import { sha256 } from './compare.ts';

// COSE algorithms (RFC 9053 §2.1, RFC 8812 §2) we verify, as /assets/webauthn.js offers them: ES256, EdDSA, RS256.
const ES256 = -7;
const EDDSA = -8;
const RS256 = -257;

/** A COSE key read from attested credential data: its own bytes (extensions may follow them) and algorithm. */
export interface CoseKey {
  bytes: Uint8Array;
  algorithm: number;
}

// A COSE_Key's labels as the CBOR decoder names them: "1" kty, "3" alg, "-1" crv or n, "-2" x or e, "-3" y.
type CoseMap = CborMap;

const isBytes = (v: unknown, length?: number): v is Uint8Array<ArrayBuffer> => v instanceof Uint8Array && (length === undefined || v.byteLength === length);

/** Its algorithm when the key is one we verify with parameters that fit it (P-256, Ed25519, RSA of 2048 bits or more). */
function readAlgorithm(m: CoseMap): number | null {
  if (m['3'] === ES256 && m['1'] === 2) return m['-1'] === 1 && isBytes(m['-2'], 32) && isBytes(m['-3'], 32) ? ES256 : null;
  if (m['3'] === EDDSA && m['1'] === 1) return m['-1'] === 6 && isBytes(m['-2'], 32) ? EDDSA : null;
  if (m['3'] === RS256 && m['1'] === 3) return isBytes(m['-1']) && m['-1'].byteLength >= 256 && isBytes(m['-2']) ? RS256 : null;
  return null;
}

function decode(bytes: Uint8Array): [CoseMap, number] {
  const [decoded, size] = decodeCborPrefix(bytes);
  if (typeof decoded !== 'object' || decoded === null || decoded instanceof Uint8Array || Array.isArray(decoded)) throw new TypeError('not a COSE map');
  return [decoded as CoseMap, size];
}

/** The COSE key at the start of `data`, or null when it is malformed or of an algorithm we do not verify. */
export function readCoseKey(data: Uint8Array): CoseKey | null {
  try {
    const [map, size] = decode(data);
    const algorithm = readAlgorithm(map);
    return algorithm === null ? null : { bytes: data.slice(0, size), algorithm };
  } catch {
    return null;
  }
}

async function importCoseKey(bytes: Uint8Array): Promise<{ key: CryptoKey; params: { name: string; hash?: string } } | null> {
  const [map] = decode(bytes);
  const b64 = (label: string) => base64url.encode(map[label] as Uint8Array);
  const alg = readAlgorithm(map);
  if (alg === ES256) {
    const key = await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: b64('-2'), y: b64('-3') }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    return { key, params: { name: 'ECDSA', hash: 'SHA-256' } };
  }
  if (alg === RS256) {
    const key = await crypto.subtle.importKey('jwk', { kty: 'RSA', n: b64('-1'), e: b64('-2') }, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
    return { key, params: { name: 'RSASSA-PKCS1-v1_5' } };
  }
  if (alg === EDDSA) return { key: await crypto.subtle.importKey('raw', map['-2'] as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']), params: { name: 'Ed25519' } };
  return null;
}

/** One DER INTEGER of an ECDSA-Sig-Value as 32 big-endian bytes, or null; returns the offset after it. */
function readInteger(der: Uint8Array, at: number): [Uint8Array, number] | null {
  if (der[at] !== 0x02) return null;
  const length = der[at + 1] ?? 0;
  if (length < 1 || length > 33 || at + 2 + length > der.byteLength) return null;
  let value = der.subarray(at + 2, at + 2 + length);
  if (value.byteLength === 33) {
    if (value[0] !== 0) return null;
    value = value.subarray(1);
  }
  const padded = new Uint8Array(32);
  padded.set(value, 32 - value.byteLength);
  return [padded, at + 2 + length];
}

/** WebAuthn L3 §6.5.6: ES256 signatures are DER (RFC 3279 §2.2.3); WebCrypto wants r || s, 32 bytes each. */
export function derToRawEcdsa(der: Uint8Array): Uint8Array | null {
  if (der[0] !== 0x30 || der[1] !== der.byteLength - 2) return null;
  const r = readInteger(der, 2);
  const s = r && readInteger(der, r[1]);
  if (!r || !s || s[1] !== der.byteLength) return null;
  const raw = new Uint8Array(64);
  raw.set(r[0]);
  raw.set(s[0], 32);
  return raw;
}

/**
 * WebAuthn L3 §7.2 step 21 (and §8.2 packed self attestation): the signature over authenticatorData ||
 * SHA-256(clientDataJSON), by the stored COSE key. False on any malformed input, never a throw.
 */
export async function verifyWebAuthnSignature(coseKey: Uint8Array, authenticatorData: Uint8Array, clientDataJSON: Uint8Array, signature: Uint8Array): Promise<boolean> {
  try {
    const imported = await importCoseKey(coseKey);
    if (!imported) return false;
    const sig = imported.params.name === 'ECDSA' ? derToRawEcdsa(signature) : signature;
    if (!sig) return false;
    const hash = await sha256(clientDataJSON);
    const message = new Uint8Array(authenticatorData.byteLength + hash.byteLength);
    message.set(authenticatorData);
    message.set(hash, authenticatorData.byteLength);
    return await crypto.subtle.verify(imported.params, imported.key, sig as Uint8Array<ArrayBuffer>, message);
  } catch {
    return false;
  }
}
