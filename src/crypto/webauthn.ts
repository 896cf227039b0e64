// WebAuthn signatures with WebCrypto: a credential's COSE key (RFC 9052 §7) imported, an assertion's signature checked.
import { decodeCBORToNativeValue } from '@oslojs/cbor';
import { COSEKeyType, COSEPublicKey, coseAlgorithmEdDSA, coseAlgorithmES256, coseAlgorithmRS256, coseEllipticCurveEd25519, coseEllipticCurveP256 } from '@oslojs/webauthn';
import { base64url } from 'jose';
import { sha256 } from './compare.ts';

/** The COSE algorithms we accept, in the order a registration offers them (WebAuthn L3 §5.4 pubKeyCredParams). */
export const WEBAUTHN_ALGORITHMS: readonly number[] = [coseAlgorithmES256, coseAlgorithmEdDSA, coseAlgorithmRS256];

/** A COSE key read from attested credential data: its own bytes (extensions may follow them) and algorithm. */
export interface CoseKey {
  bytes: Uint8Array;
  algorithm: number;
}

type CoseMap = Record<string, unknown>;

function readAlgorithm(key: COSEPublicKey): number | null {
  const alg = key.algorithm();
  if (alg === coseAlgorithmES256 && key.type() === COSEKeyType.EC2) return key.ec2().curve === coseEllipticCurveP256 ? alg : null;
  if (alg === coseAlgorithmEdDSA && key.type() === COSEKeyType.OKP) return key.okp().curve === coseEllipticCurveEd25519 && key.okp().x.byteLength === 32 ? alg : null;
  if (alg === coseAlgorithmRS256 && key.type() === COSEKeyType.RSA) return key.rsa().n > 1n << 2047n ? alg : null;
  return null;
}

function decode(bytes: Uint8Array): [COSEPublicKey, number] {
  const [decoded, size] = decodeCBORToNativeValue(bytes, 4);
  if (typeof decoded !== 'object' || decoded === null) throw new Error('not a COSE map');
  return [new COSEPublicKey(decoded), size];
}

/** The COSE key at the start of `data`, or null when it is malformed or of an algorithm we do not verify. */
export function readCoseKey(data: Uint8Array): CoseKey | null {
  try {
    const [key, size] = decode(data);
    const algorithm = readAlgorithm(key);
    return algorithm === null ? null : { bytes: data.slice(0, size), algorithm };
  } catch {
    return null;
  }
}

function importCoseKey(bytes: Uint8Array): Promise<{ key: CryptoKey; params: { name: string; hash?: string } }> | null {
  const [key] = decode(bytes);
  const map = key.decoded as CoseMap;
  const b64 = (label: string) => base64url.encode(map[label] as Uint8Array);
  switch (readAlgorithm(key)) {
    case coseAlgorithmES256:
      return crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: b64('-2'), y: b64('-3') }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify'])
        .then((k) => ({ key: k, params: { name: 'ECDSA', hash: 'SHA-256' } }));
    case coseAlgorithmRS256:
      return crypto.subtle.importKey('jwk', { kty: 'RSA', n: b64('-1'), e: b64('-2') }, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify'])
        .then((k) => ({ key: k, params: { name: 'RSASSA-PKCS1-v1_5' } }));
    case coseAlgorithmEdDSA:
      return crypto.subtle.importKey('raw', map['-2'] as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify'])
        .then((k) => ({ key: k, params: { name: 'Ed25519' } }));
    default:
      return null;
  }
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
