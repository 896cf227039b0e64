// Recovery codes: 10 random 50-bit codes shown once, kept only as keyed digests (HMAC under DATA_ENCRYPTION_KEY).
import { type DataKey, type DataKeys, macData } from './data-key.ts';
import { randomBytes } from './random.ts';

export const RECOVERY_CODE_COUNT = 10;
// Crockford's base32 alphabet: no i, l, o, u, so a code read aloud or copied by hand is not misread.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** 10 characters of 5 bits: 50 bits per code, shown as xxxxx-xxxxx. */
const CODE_CHARS = 10;

/** One code: 10 characters from the alphabet (each byte's low 5 bits are uniform over 32 values). */
function newRecoveryCode(): string {
  const chars = [...randomBytes(CODE_CHARS)].map((b) => ALPHABET[b & 31]!).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
}

/**
 * The canonical form of what a user typed, or null when it cannot be a code: case, spaces and dashes do not
 * matter, and the letters Crockford's base32 reads as digits (o, i, l) are read as them.
 */
export function normalizeRecoveryCode(input: string): string | null {
  if (input.length > 64) return null;
  const compact = input.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
  if (compact.length !== CODE_CHARS || [...compact].some((ch) => !ALPHABET.includes(ch))) return null;
  return compact;
}

/**
 * The digest stored for a code of this user under one key version, `<key id>.<HMAC>`: the user id binds it to its
 * row, the id says which DATA_ENCRYPTION_KEY version must stay listed for it.
 */
export async function recoveryCodeDigest(key: DataKey, userId: string, normalized: string): Promise<string> {
  return `${key.id}.${await macData(key, `recovery-code:${userId}:${normalized}`)}`;
}

/** The code's digest under every listed key version, newest first: a code made before a rotation still matches. */
export function recoveryCodeDigests(keys: DataKeys, userId: string, normalized: string): Promise<string[]> {
  return Promise.all([...keys.byId.values()].map((key) => recoveryCodeDigest(key, userId, normalized)));
}
