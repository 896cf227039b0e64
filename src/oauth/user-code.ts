// RFC 8628 §6.1 user codes: 8 letters from 20 consonants (no vowels, so no words; no look-alikes), read as XXXX-XXXX.
import { randomBytes } from '../crypto/random.ts';

const ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const LENGTH = 8;

export function generateUserCode(): string {
  let code = '';
  while (code.length < LENGTH) {
    // Rejection sampling keeps every letter equally likely (256 is not a multiple of 20).
    for (const byte of randomBytes(16)) {
      if (byte < 240 && code.length < LENGTH) code += ALPHABET[byte % ALPHABET.length];
    }
  }
  return code;
}

/** Accepts what people type: any case, dashes and spaces; null when it cannot be one of our codes. */
export function normalizeUserCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== LENGTH || ![...code].every((ch) => ALPHABET.includes(ch))) return null;
  return code;
}

export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
