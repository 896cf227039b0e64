// Signing keys: the private JWKS secret imported once per isolate, and the public JWKS derived from it.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

export type { JWK };

export type SigningAlg = 'RS256' | 'ES256';
export const SIGNING_ALGS: readonly SigningAlg[] = ['RS256', 'ES256'];

export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  key: CryptoKey;
}

export interface KeySet {
  /** The first key of each algorithm in the secret signs. */
  signing: ReadonlyMap<SigningAlg, SigningKey>;
  /** Every key's public half, in the secret's order. */
  publicJwks: { keys: JWK[] };
  /** Public keys by kid, for verifying our own tokens (id_token_hint, access tokens). */
  verifying: ReadonlyMap<string, SigningKey>;
}

export class KeyConfigError extends Error {}

const PUBLIC_MEMBERS: Record<string, readonly string[]> = { RSA: ['kty', 'n', 'e'], EC: ['kty', 'crv', 'x', 'y'] };
const PRIVATE_MEMBERS: Record<string, readonly string[]> = { RSA: ['d', 'p', 'q', 'dp', 'dq', 'qi'], EC: ['d'] };
const KTY_FOR_ALG: Record<SigningAlg, string> = { RS256: 'RSA', ES256: 'EC' };
const WEBCRYPTO_PARAMS: Record<SigningAlg, Parameters<typeof crypto.subtle.importKey>[2]> = {
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
};

function pick(jwk: JWK, members: readonly string[]): JWK {
  const out: Record<string, unknown> = {};
  for (const member of members) out[member] = (jwk as Record<string, unknown>)[member];
  return out as JWK;
}

/**
 * The platform's own JWK import (WebCrypto), given only the key material: key_ops, ext or x5c in the
 * secret cannot conflict with the usage, and the key is never extractable.
 */
function importMaterial(jwk: JWK, alg: SigningAlg, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  const members = usage === 'sign' ? [...PUBLIC_MEMBERS[jwk.kty!]!, ...PRIVATE_MEMBERS[jwk.kty!]!] : PUBLIC_MEMBERS[jwk.kty!]!;
  return crypto.subtle.importKey('jwk', { ...pick(jwk, members), alg } as JsonWebKey, WEBCRYPTO_PARAMS[alg], false, [usage]);
}

function isSigningAlg(value: unknown): value is SigningAlg {
  return value === 'RS256' || value === 'ES256';
}

function toPublicJwk(jwk: JWK, kid: string, alg: SigningAlg): JWK {
  return { ...pick(jwk, PUBLIC_MEMBERS[jwk.kty!]!), kid, alg, use: 'sig' };
}

/** Parses and imports SIGNING_KEYS (a private JWKS). RS256 is required by OIDC Discovery §3. */
export async function importKeySet(secret: string): Promise<KeySet> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    throw new KeyConfigError('SIGNING_KEYS is not valid JSON');
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new KeyConfigError('SIGNING_KEYS must be a JWKS with at least one key');
  const signing = new Map<SigningAlg, SigningKey>();
  const verifying = new Map<string, SigningKey>();
  const publicKeys: JWK[] = [];
  for (const jwk of keys as (JWK | null)[]) {
    if (typeof jwk !== 'object' || jwk === null) throw new KeyConfigError('every signing key must be a JSON object');
    const { kid, alg } = jwk;
    if (typeof kid !== 'string' || kid === '') throw new KeyConfigError('every signing key needs a kid');
    if (!isSigningAlg(alg)) throw new KeyConfigError(`key ${kid}: alg must be RS256 or ES256`);
    if (jwk.kty !== KTY_FOR_ALG[alg]) throw new KeyConfigError(`key ${kid}: kty does not match ${alg}`);
    if (typeof jwk.d !== 'string') throw new KeyConfigError(`key ${kid}: not a private key`);
    if (verifying.has(kid)) throw new KeyConfigError(`duplicate kid ${kid}`);
    const publicJwk = toPublicJwk(jwk, kid, alg);
    let key: CryptoKey;
    let publicKey: CryptoKey;
    try {
      key = await importMaterial(jwk, alg, 'sign');
      publicKey = await importMaterial(jwk, alg, 'verify');
    } catch {
      throw new KeyConfigError(`key ${kid}: cannot be imported as ${alg}`);
    }
    if (!signing.has(alg)) signing.set(alg, { kid, alg, key });
    verifying.set(kid, { kid, alg, key: publicKey });
    publicKeys.push(publicJwk);
  }
  if (!signing.has('RS256')) throw new KeyConfigError('SIGNING_KEYS needs an RS256 key (OIDC Discovery requires RS256)');
  return { signing, publicJwks: { keys: publicKeys }, verifying };
}

/** A new private JWK for SIGNING_KEYS; the kid is its RFC 7638 thumbprint. */
export async function generateSigningJwk(alg: SigningAlg): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg, use: 'sig' };
}

/** A published public JWK imported with the alg it names, as a relying party would; throws when it cannot. */
export function importPublicJwk(jwk: JWK): Promise<CryptoKey | Uint8Array> {
  return importJWK(jwk, jwk.alg);
}
