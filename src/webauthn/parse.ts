// The two byte layouts of a WebAuthn answer: client data JSON (L3 §5.8.1) and authenticator data (§6.1).
import { fail } from './errors.ts';

export interface ClientData {
  type: string;
  challenge: string;
  origin: string;
  crossOrigin: boolean;
}

/** §7.2 step 10: any JSON parser will do; the members we check must be there with their types. */
export function parseClientData(bytes: Uint8Array): ClientData {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    return fail('malformed');
  }
  const { type, challenge, origin, crossOrigin } = (value ?? {}) as Record<string, unknown>;
  if (typeof type !== 'string' || typeof challenge !== 'string' || typeof origin !== 'string') return fail('malformed');
  return { type, challenge, origin, crossOrigin: crossOrigin === true };
}

export interface AuthenticatorData {
  rpIdHash: Uint8Array;
  flags: number;
  signCount: number;
  /** Attested credential data (§6.5.1), present in a registration: the COSE key starts at `keyOffset`. */
  attested: { aaguid: Uint8Array; credentialId: Uint8Array; keyOffset: number } | null;
}

// §6.1 flags.
export const FLAG_UP = 0x01;
export const FLAG_UV = 0x04;
export const FLAG_BE = 0x08;
export const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

/** rpIdHash (32 bytes), flags (1), signCount (4, big-endian), then attested credential data when AT is set. */
export function parseAuthenticatorData(bytes: Uint8Array): AuthenticatorData {
  if (bytes.byteLength < 37) fail('malformed');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = bytes[32]!;
  let attested: AuthenticatorData['attested'] = null;
  if (flags & FLAG_AT) {
    if (bytes.byteLength < 55) fail('malformed');
    const idLength = view.getUint16(53);
    if (bytes.byteLength <= 55 + idLength) fail('malformed');
    attested = { aaguid: bytes.slice(37, 53), credentialId: bytes.slice(55, 55 + idLength), keyOffset: 55 + idLength };
  }
  return { rpIdHash: bytes.slice(0, 32), flags, signCount: view.getUint32(33), attested };
}
