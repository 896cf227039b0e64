// What a new account's username, email and name may be: one rule for the sign-up form and the admin CLI.
import { hasDisallowedUsernameCharacter, normalizeUsername } from './unicode.ts';

// Letters (with their combining marks) and digits of any script plus . _ @ + -, so an e-mail address can be a
// username. Checked on the NFKC form, which is what is stored (src/policy/unicode.ts).
const USERNAME_PATTERN = /^[\p{L}\p{M}\p{N}._@+-]{1,64}$/u;
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
export const MAX_NAME_CHARS = 200;

export const USERNAME_RULE = 'usernames are 1 to 64 letters, digits or . _ @ + - (no spaces)';

/** Why the username cannot be registered, or null. */
export function checkUsername(username: string): string | null {
  if (hasDisallowedUsernameCharacter(username)) {
    return 'usernames must not contain control, formatting (bidirectional, zero-width) or space characters';
  }
  if (!USERNAME_PATTERN.test(normalizeUsername(username)) || /^\p{M}/u.test(username)) return USERNAME_RULE;
  return null;
}

export function isEmailAddress(email: string): boolean {
  return EMAIL_PATTERN.test(email);
}

/** Why the display name cannot be stored, or null (an empty name is none). */
export function checkName(name: string): string | null {
  return name.length > MAX_NAME_CHARS || /[\x00-\x1f\x7f]/.test(name)
    ? `the name must be at most ${MAX_NAME_CHARS} characters, without control characters`
    : null;
}
