// Random identifiers and secrets from the platform CSPRNG, encoded base64url.
import { base64url } from 'jose';

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

export function randomToken(bytes: number): string {
  return base64url.encode(randomBytes(bytes));
}
