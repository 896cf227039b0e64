// JWT signing and verification through jose: id tokens, RFC 9068 access tokens, and our own HS256 envelopes.
import { base64url, CompactSign, compactVerify, jwtVerify, SignJWT, type JWTPayload, type JWTHeaderParameters } from 'jose';
import type { KeySet, SigningAlg } from './keys.ts';
import { sha256 } from './compare.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export type { JWTPayload };

export const ACCESS_TOKEN_TYP = 'at+jwt';
const ID_TOKEN_TYP = 'JWT';

export class KeyMissingError extends Error {}

/** The claims verifyAccessToken requires (RFC 9068 §2.2), typed as our access tokens carry them. */
export type AccessTokenClaims = JWTPayload & { sub: string; jti: string; client_id: string; exp: number };

async function signWithKeySet(keys: KeySet, alg: SigningAlg, typ: string, claims: JWTPayload): Promise<string> {
  const key = keys.signing.get(alg);
  if (!key) throw new KeyMissingError(`no ${alg} signing key is configured`);
  // The claims are complete (iat, exp, ...) as built by the caller: jose's CompactSign signs their JSON as they
  // are, without SignJWT's claim builder (a structuredClone and checks of claims we never ask it to set).
  return new CompactSign(encoder.encode(JSON.stringify(claims))).setProtectedHeader({ alg, kid: key.kid, typ }).sign(key.key);
}

export function signIdToken(keys: KeySet, alg: SigningAlg, claims: JWTPayload): Promise<string> {
  return signWithKeySet(keys, alg, ID_TOKEN_TYP, claims);
}

export function signAccessToken(keys: KeySet, alg: SigningAlg, claims: JWTPayload): Promise<string> {
  return signWithKeySet(keys, alg, ACCESS_TOKEN_TYP, claims);
}

function keyResolver(keys: KeySet) {
  return (header: JWTHeaderParameters): CryptoKey => {
    const key = header.kid ? keys.verifying.get(header.kid) : undefined;
    if (!key || key.alg !== header.alg) throw new Error('unknown key');
    return key.key;
  };
}

/**
 * Verifies one of our access tokens: signature by a published key, typ at+jwt (RFC 9068 §4), iss, exp, and,
 * when given, that `audience` is among its audiences (RFC 9068 §4 step 3).
 */
export async function verifyAccessToken(keys: KeySet, issuer: string, token: string, audience?: string): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtVerify(token, keyResolver(keys), {
      issuer,
      ...(audience !== undefined ? { audience } : {}),
      typ: ACCESS_TOKEN_TYP,
      algorithms: ['RS256', 'ES256'],
      requiredClaims: ['sub', 'exp', 'jti', 'client_id'],
    });
    return payload;
  } catch {
    return null;
  }
}

/**
 * Verifies an id_token we issued, ignoring expiry: OIDC Core §3.1.2.1 allows an expired id_token_hint.
 * Our access tokens are signed by the same keys, so the header's typ tells them apart (RFC 8725 §3.11,
 * RFC 9068 §4): only "JWT", as signIdToken writes it, is an id_token.
 */
export async function verifyIdTokenHint(keys: KeySet, issuer: string, token: string): Promise<JWTPayload | null> {
  try {
    const { payload, protectedHeader } = await compactVerify(token, keyResolver(keys), { algorithms: ['RS256', 'ES256'] });
    if (protectedHeader.typ !== ID_TOKEN_TYP) return null;
    const claims = JSON.parse(decoder.decode(payload)) as JWTPayload;
    return claims.iss === issuer && typeof claims.sub === 'string' ? claims : null;
  } catch {
    return null;
  }
}

/** OIDC Core §3.1.3.6: left-most half of the SHA-256 of the access token (RS256 and ES256 both use SHA-256). */
export async function computeAtHash(accessToken: string): Promise<string> {
  const digest = await sha256(encoder.encode(accessToken));
  return base64url.encode(digest.slice(0, digest.byteLength / 2));
}

/** HS256 keys for state we hand to the browser and must get back untampered: the first seals, any opens. */
export interface EnvelopeKeys {
  seal: CryptoKey;
  open: readonly CryptoKey[];
}

const MAX_ENVELOPE_SECRETS = 4;

async function importEnvelopeKey(secret: string): Promise<CryptoKey> {
  let raw: Uint8Array;
  try {
    raw = base64url.decode(secret);
  } catch {
    raw = new Uint8Array();
  }
  if (raw.byteLength < 32) throw new KeyMissingError('SESSION_SECRET must be base64url of at least 32 random bytes');
  return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

/**
 * SESSION_SECRET: one secret, or several separated by commas or spaces during a rotation. The first seals new
 * envelopes; every one opens them, so cookies and forms sealed before the rotation keep working until the
 * old secret is removed.
 */
export async function importEnvelopeKeys(secrets: string): Promise<EnvelopeKeys> {
  const list = secrets.split(/[\s,]+/).filter(Boolean);
  if (list.length > MAX_ENVELOPE_SECRETS) throw new KeyMissingError(`SESSION_SECRET holds at most ${MAX_ENVELOPE_SECRETS} secrets`);
  const keys = await Promise.all((list.length ? list : ['']).map(importEnvelopeKey));
  return { seal: keys[0]!, open: keys };
}

export async function sealEnvelope(keys: EnvelopeKeys, typ: string, claims: JWTPayload, ttlSeconds: number): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ }).setIssuedAt().setExpirationTime(`${ttlSeconds}s`).sign(keys.seal);
}

export async function openEnvelope(keys: EnvelopeKeys, typ: string, token: string): Promise<JWTPayload | null> {
  for (const key of keys.open) {
    try {
      const { payload } = await jwtVerify(token, key, { typ, algorithms: ['HS256'] });
      return payload;
    } catch (err) {
      // Only a wrong signature is worth trying the next secret for; expired, wrong typ or malformed is final.
      if ((err as { code?: unknown } | null)?.code !== 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return null;
    }
  }
  return null;
}
