// Password hashing: HMAC-SHA256 with a secret pepper, then PBKDF2-HMAC-SHA256, in a self-describing string.
import { base64url } from 'jose';
import {
  PASSWORD_HASH_BYTES, PASSWORD_SALT_BYTES, PBKDF2_ITERATIONS, PBKDF2_MAX_ITERATIONS, PBKDF2_MIN_ITERATIONS,
} from '../constants.ts';
import { normalizePassword } from '../policy/unicode.ts';
import { timingSafeEqual } from './compare.ts';
import { randomBytes } from './random.ts';

const encoder = new TextEncoder();
const SCHEME = 'pbkdf2-sha256';
// Format: $pbkdf2-sha256$i=<iterations>,p=<pepper id>$<salt b64url>$<hash b64url>
const HASH_PATTERN = /^\$pbkdf2-sha256\$i=(\d{1,7}),p=([a-z0-9]{1,16})\$([A-Za-z0-9_-]{16,128})\$([A-Za-z0-9_-]{16,128})$/;
const PEPPER_PATTERN = /^([a-z0-9]{1,16}):([A-Za-z0-9_-]{43,})$/;

export interface Pepper {
  id: string;
  key: CryptoKey;
}

/** The current pepper first, then older ones kept so that old hashes still verify. */
export interface Peppers {
  current: Pepper;
  byId: ReadonlyMap<string, Pepper>;
}

export class PepperConfigError extends Error {}

/** Parses PASSWORD_PEPPER: "id:base64url[,id:base64url...]", each at least 32 random bytes. */
export async function importPeppers(secret: string): Promise<Peppers> {
  const entries = secret.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) throw new PepperConfigError('PASSWORD_PEPPER is empty');
  const peppers: Pepper[] = [];
  for (const entry of entries) {
    const match = PEPPER_PATTERN.exec(entry);
    if (!match) throw new PepperConfigError('PASSWORD_PEPPER entries must look like "<id>:<base64url of 32+ bytes>"');
    // Typed for the Node-side check too (the admin CLI hashes with this module; DOM's BufferSource is stricter).
    const raw = base64url.decode(match[2]!) as Uint8Array<ArrayBuffer>;
    if (raw.byteLength < 32) throw new PepperConfigError('each pepper must be at least 32 bytes');
    const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    peppers.push({ id: match[1]!, key });
  }
  const byId = new Map(peppers.map((p) => [p.id, p]));
  if (byId.size !== peppers.length) throw new PepperConfigError('PASSWORD_PEPPER has duplicate ids');
  return { current: peppers[0]!, byId };
}

async function derive(password: string, pepper: Pepper, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const peppered = await crypto.subtle.sign('HMAC', pepper.key, encoder.encode(password));
  const material = await crypto.subtle.importKey('raw', peppered, 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as Uint8Array<ArrayBuffer>, iterations },
    material,
    PASSWORD_HASH_BYTES * 8,
  );
  return new Uint8Array(bits);
}

/** Hashes the NFKC form of the password (src/policy/unicode.ts), so every equivalent form typed later matches. */
export async function hashPassword(password: string, peppers: Peppers, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = randomBytes(PASSWORD_SALT_BYTES);
  const hash = await derive(normalizePassword(password), peppers.current, salt, iterations);
  return `$${SCHEME}$i=${iterations},p=${peppers.current.id}$${base64url.encode(salt)}$${base64url.encode(hash)}`;
}

export interface PasswordCheck {
  ok: boolean;
  /** True when the stored hash uses older parameters, an older pepper or the raw form, and should be replaced. */
  needsRehash: boolean;
}

interface ParsedHash {
  iterations: number;
  pepperId: string;
  salt: Uint8Array;
  hash: Uint8Array;
}

// Out-of-range parameters are refused before any derivation, so a tampered row cannot burn CPU.
export function parsePasswordHash(stored: string): ParsedHash | null {
  const match = HASH_PATTERN.exec(stored);
  if (!match) return null;
  const iterations = Number(match[1]);
  if (iterations < PBKDF2_MIN_ITERATIONS || iterations > PBKDF2_MAX_ITERATIONS) return null;
  const salt = base64url.decode(match[3]!);
  const hash = base64url.decode(match[4]!);
  if (salt.byteLength < PASSWORD_SALT_BYTES || hash.byteLength !== PASSWORD_HASH_BYTES) return null;
  return { iterations, pepperId: match[2]!, salt, hash };
}

async function matches(password: string, pepper: Pepper, parsed: ParsedHash): Promise<boolean> {
  return timingSafeEqual(await derive(password, pepper, parsed.salt, parsed.iterations), parsed.hash);
}

/**
 * Checks the NFKC form first. Hashes stored before passwords were normalised hold the raw form: when NFKC
 * changed the input and the first check failed, the raw form is tried too (a second PBKDF2, only then), and a
 * match asks for a rehash, which stores the NFKC form.
 */
export async function verifyPassword(password: string, stored: string, peppers: Peppers): Promise<PasswordCheck> {
  const parsed = parsePasswordHash(stored);
  const pepper = parsed && peppers.byId.get(parsed.pepperId);
  if (!parsed || !pepper) return { ok: false, needsRehash: false };
  const normalized = normalizePassword(password);
  if (await matches(normalized, pepper, parsed)) {
    return { ok: true, needsRehash: parsed.iterations !== PBKDF2_ITERATIONS || pepper !== peppers.current };
  }
  const raw = normalized !== password && (await matches(password, pepper, parsed));
  return { ok: raw, needsRehash: raw };
}

const dummyHashes = new WeakMap<Peppers, Promise<string>>();

/**
 * Verifies against a real hash of a random password, so an unknown username costs the same PBKDF2 as a
 * wrong password and response time does not reveal whether the account exists. Always fails.
 */
export async function verifyDummyPassword(password: string, peppers: Peppers): Promise<PasswordCheck> {
  let dummy = dummyHashes.get(peppers);
  if (!dummy) {
    dummy = hashPassword(base64url.encode(randomBytes(16)), peppers);
    dummyHashes.set(peppers, dummy);
  }
  await verifyPassword(password, await dummy, peppers);
  return { ok: false, needsRehash: false };
}
