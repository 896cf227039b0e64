// base64url (RFC 4648 §5, no padding) for code outside src/crypto/ that must not import jose itself.
import { base64url } from 'jose';

export function toBase64url(bytes: Uint8Array): string {
  return base64url.encode(bytes);
}

/** Throws on anything that is not base64url. */
export function fromBase64url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new TypeError('not base64url');
  return base64url.decode(text);
}
