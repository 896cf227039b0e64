// Unicode forms of passwords and usernames: one definition each, shared by the policy, the admin CLI and sign-in.
import { PASSWORD_MAX_CHARS } from '../constants.ts';

// NFKC composes at most a few code points into one, and a code point is at most two UTF-16 units, so longer
// input cannot be in range: it is refused before being normalised, which bounds the work an attacker can cause.
const PASSWORD_MAX_INPUT_UNITS = PASSWORD_MAX_CHARS * 8;

/** NIST SP 800-63B §5.1.1.2 (rev. 4 §3.1.1.2): verifiers apply NFKC to passwords before hashing them. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** A password's length as both the policy and sign-in count it: the code points of its NFKC form. */
export function passwordLength(password: string): number {
  if (password.length > PASSWORD_MAX_INPUT_UNITS) return Number.POSITIVE_INFINITY;
  let count = 0;
  for (const _ of normalizePassword(password)) count++;
  return count;
}

/** A username as stored and shown: NFKC maps width and compatibility forms (RFC 8265 §3.3.1), case is kept. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC');
}

/**
 * The key usernames are unique by and looked up by: RFC 8265 §3.4 UsernameCaseMapped, as NFKC (width and
 * compatibility mapping), then toLowerCase (§3.3.2), then NFKC again, since lower-casing can leave a string
 * unnormalised. Look-alikes in another width, case or compatibility form share a key.
 */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase().normalize('NFKC');
}

// Controls, format characters (bidi controls, zero-width joiners, BOM), separators, private use and surrogates:
// disallowed by the PRECIS IdentifierClass (RFC 8264 §9), and the tools of look-alike and reordering tricks.
const DISALLOWED_IN_USERNAME = /[\p{Cc}\p{Cf}\p{Z}\p{Co}\p{Cs}]/u;

/** True when the username holds a character no username may hold, whatever else the rules allow. */
export function hasDisallowedUsernameCharacter(username: string): boolean {
  return DISALLOWED_IN_USERNAME.test(username);
}
