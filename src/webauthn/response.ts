// A ceremony's answer as the page's script posts it: one `credential` field, JSON with base64url members.
import { toBase64url } from '../crypto/encoding.ts';
import { fail, fromBase64url } from './errors.ts';

// A registration with an RSA key and a packed statement stays well under this; the form's body limit is 16 KiB.
const MAX_CREDENTIAL_CHARS = 12_000;
// WebAuthn L3 §5.8.4 AuthenticatorTransport values.
const TRANSPORTS = new Set(['usb', 'nfc', 'ble', 'smart-card', 'hybrid', 'internal']);

export interface PostedAssertion {
  /** The credential id, base64url without padding (its canonical form, as stored). */
  credentialId: string;
  clientDataJSON: Uint8Array;
  authenticatorData: Uint8Array;
  signature: Uint8Array;
  userHandle: Uint8Array | null;
}

export interface PostedRegistration {
  clientDataJSON: Uint8Array;
  attestationObject: Uint8Array;
  transports: string[];
}

function readJson(form: URLSearchParams): Record<string, unknown> {
  const text = form.get('credential') ?? '';
  if (!text || text.length > MAX_CREDENTIAL_CHARS) fail('malformed');
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Answered below, as any other malformed answer.
  }
  return fail('malformed');
}

/** WebAuthnError('malformed') unless every member is present and base64url. */
export function readPostedAssertion(form: URLSearchParams): PostedAssertion {
  const json = readJson(form);
  const id = fromBase64url(json.id);
  if (id.byteLength === 0 || id.byteLength > 1023) fail('malformed');
  return {
    credentialId: toBase64url(id),
    clientDataJSON: fromBase64url(json.clientDataJSON),
    authenticatorData: fromBase64url(json.authenticatorData),
    signature: fromBase64url(json.signature),
    userHandle: json.userHandle === null || json.userHandle === undefined ? null : fromBase64url(json.userHandle),
  };
}

export function readPostedRegistration(form: URLSearchParams): PostedRegistration {
  const json = readJson(form);
  const transports = Array.isArray(json.transports) ? json.transports.filter((t): t is string => TRANSPORTS.has(t as string)).slice(0, 6) : [];
  return { clientDataJSON: fromBase64url(json.clientDataJSON), attestationObject: fromBase64url(json.attestationObject), transports };
}
