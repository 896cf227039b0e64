// SHA-256 digests of tokens and secrets, as stored at rest and used as storage keys, and the checks against them.
import { base64url } from 'jose';
import { sha256, timingSafeEqual } from './compare.ts';

const encoder = new TextEncoder();
const SECRET_HASH_PREFIX = 'sha256$';

// Codes, refresh tokens and session ids are high-entropy, so a fast digest is enough to make a
// stolen database useless (no dictionary to try); no salt or stretching is needed.
export async function digestToken(token: string): Promise<string> {
  return base64url.encode(await sha256(encoder.encode(token)));
}

export async function hashClientSecret(secret: string): Promise<string> {
  return SECRET_HASH_PREFIX + (await digestToken(secret));
}

export async function verifyClientSecret(secret: string, stored: string): Promise<boolean> {
  const presented = await sha256(encoder.encode(secret));
  let expected: Uint8Array;
  try {
    if (!stored.startsWith(SECRET_HASH_PREFIX)) return false;
    expected = base64url.decode(stored.slice(SECRET_HASH_PREFIX.length));
  } catch {
    return false;
  }
  return timingSafeEqual(presented, expected);
}

/** RFC 7636 §4.6 (S256): whether the verifier's SHA-256 is the digest the challenge encodes, compared in constant time. */
export async function verifierMatchesS256Challenge(verifier: string, challenge: string): Promise<boolean> {
  const computed = await sha256(encoder.encode(verifier));
  return timingSafeEqual(computed, base64url.decode(challenge));
}
