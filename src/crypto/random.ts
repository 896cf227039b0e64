// Random identifiers and secrets from the platform CSPRNG, encoded base64url.
import { base64url } from 'jose';

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

export function randomToken(bytes: number): string {
  return base64url.encode(randomBytes(bytes));
}

/** `length` decimal digits, uniform: 32-bit draws at or above the largest multiple of 10^6 are drawn again. */
export function randomDigits(length: 6): string {
  const limit = 4_294_000_000;
  for (;;) {
    const [n] = crypto.getRandomValues(new Uint32Array(1));
    if (n! < limit) return String(n! % 10 ** length).padStart(length, '0');
  }
}
