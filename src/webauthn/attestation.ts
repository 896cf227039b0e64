// The attestation object of a registration (WebAuthn L3 §6.5.4) and the statement formats we accept.
import { type CoseKey, verifyWebAuthnSignature } from '../crypto/webauthn.ts';
import { decodeCbor } from './cbor.ts';
import { fail } from './errors.ts';

/** The attestation object's members (§6.5.4); WebAuthnError when malformed. */
export function readAttestationObject(encoded: Uint8Array): { fmt: string; attStmt: Record<string, unknown>; authData: Uint8Array } {
  let decoded: unknown;
  try {
    decoded = decodeCbor(encoded);
  } catch {
    fail('malformed');
  }
  const { fmt, attStmt, authData } = (decoded ?? {}) as Record<string, unknown>;
  if (typeof fmt !== 'string' || typeof attStmt !== 'object' || attStmt === null || !(authData instanceof Uint8Array)) return fail('malformed');
  return { fmt, attStmt: attStmt as Record<string, unknown>, authData };
}

/**
 * We ask for attestation "none" (docs/decisions.md): fmt "none" with an empty statement, or "packed". A packed
 * self attestation (no x5c) must be signed by the new key itself; a packed x5c chain is taken without trust.
 */
export async function checkAttestation(statement: { fmt: string; attStmt: Record<string, unknown>; authData: Uint8Array }, key: CoseKey, clientDataJSON: Uint8Array): Promise<void> {
  const { fmt, attStmt, authData } = statement;
  if (fmt === 'none') {
    if (Object.keys(attStmt).length) fail('attestation');
    return;
  }
  const sig = attStmt.sig;
  if (fmt !== 'packed' || !(sig instanceof Uint8Array)) return fail('attestation');
  if ('x5c' in attStmt) return;
  if (attStmt.alg !== key.algorithm || !(await verifyWebAuthnSignature(key.bytes, authData, clientDataJSON, sig))) fail('attestation');
}
