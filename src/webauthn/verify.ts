// WebAuthn Level 3 relying-party checks: a registration (§7.1) and an authentication assertion (§7.2).
import { encodeBase64urlNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { ClientDataType, parseAuthenticatorData, parseClientDataJSON } from '@oslojs/webauthn';
import { sha256, timingSafeEqual } from '../crypto/compare.ts';
import { readCoseKey, verifyWebAuthnSignature } from '../crypto/webauthn.ts';
import { checkAttestation, readAttestationObject } from './attestation.ts';
import { fail, fromBase64url } from './errors.ts';

/** What the ceremony must match: our origin and RP ID (the issuer's), the challenge we issued, whether UV is needed. */
export interface Expected {
  origin: string;
  rpId: string;
  challenge: string;
  userVerification: boolean;
}

/** A credential a registration proved, ready to store. */
export interface RegisteredCredential {
  id: string;
  publicKey: Uint8Array;
  algorithm: number;
  signCount: number;
  aaguid: string;
  backupEligible: boolean;
  backedUp: boolean;
}

// §6.1 flags: BE (bit 3) and BS (bit 4); ED (bit 7) means extensions follow.
const FLAG_BACKUP_ELIGIBLE = 0x08;
const FLAG_BACKED_UP = 0x10;
// §7.1 step 25: credential ids longer than this are refused.
const MAX_CREDENTIAL_ID_BYTES = 1023;

function checkClientData(clientDataJSON: Uint8Array, type: ClientDataType, expected: Expected): void {
  let data: ReturnType<typeof parseClientDataJSON>;
  try {
    data = parseClientDataJSON(clientDataJSON);
  } catch {
    return fail('malformed');
  }
  if (data.type !== type) fail('type');
  if (!timingSafeEqual(data.challenge, fromBase64url(expected.challenge))) fail('challenge');
  // §7.2 steps 13-14: the exact origin, and not from a cross-origin iframe.
  if (data.origin !== expected.origin || data.crossOrigin === true) fail('origin');
}

async function checkAuthenticatorData(raw: Uint8Array, expected: Expected) {
  let data: ReturnType<typeof parseAuthenticatorData>;
  try {
    data = parseAuthenticatorData(raw);
  } catch {
    return fail('malformed');
  }
  checkFlags(raw, data, await sha256(new TextEncoder().encode(expected.rpId)), expected);
  return { data, backupEligible: (raw[32]! & FLAG_BACKUP_ELIGIBLE) !== 0, backedUp: (raw[32]! & FLAG_BACKED_UP) !== 0 };
}

function checkFlags(raw: Uint8Array, data: ReturnType<typeof parseAuthenticatorData>, rpIdHash: Uint8Array, expected: Expected): void {
  if (!timingSafeEqual(data.relyingPartyIdHash, rpIdHash)) fail('rp_id');
  if (!data.userPresent) fail('user_presence');
  if (expected.userVerification && !data.userVerified) fail('user_verification');
  // §6.1: BS without BE is invalid.
  if ((raw[32]! & FLAG_BACKED_UP) && !(raw[32]! & FLAG_BACKUP_ELIGIBLE)) fail('malformed');
}

/**
 * §7.1: clientData (type webauthn.create, challenge, origin), authenticator data (RP ID hash, UP, UV), the
 * credential and its key (an algorithm we verify), then the attestation statement.
 */
export async function verifyRegistration(response: { clientDataJSON: Uint8Array; attestationObject: Uint8Array }, expected: Expected): Promise<RegisteredCredential> {
  checkClientData(response.clientDataJSON, ClientDataType.Create, expected);
  const statement = readAttestationObject(response.attestationObject);
  const { data, backupEligible, backedUp } = await checkAuthenticatorData(statement.authData, expected);
  const credential = data.credential ?? fail('malformed');
  if (credential.id.byteLength > MAX_CREDENTIAL_ID_BYTES) fail('malformed');
  // §6.5.1: the COSE key follows the credential id, at byte 55 + its length.
  const key = readCoseKey(statement.authData.subarray(55 + credential.id.byteLength)) ?? fail('algorithm');
  await checkAttestation(statement, key, response.clientDataJSON);
  return {
    id: encodeBase64urlNoPadding(credential.id), publicKey: key.bytes, algorithm: key.algorithm, signCount: data.signatureCounter,
    aaguid: encodeHexLowerCase(credential.authenticatorAAGUID), backupEligible, backedUp,
  };
}

/** The stored credential an assertion is checked against: its key comes only from here. */
export interface StoredCredential {
  publicKey: Uint8Array;
  signCount: number;
}

/**
 * §7.2: clientData (webauthn.get, challenge, origin), authenticator data (RP ID hash, UP, UV), the signature by
 * the stored key, then the counter: when either count is non-zero the new one must exceed the stored one (§6.1.1).
 */
export async function verifyAssertion(
  response: { clientDataJSON: Uint8Array; authenticatorData: Uint8Array; signature: Uint8Array },
  expected: Expected,
  stored: StoredCredential,
): Promise<{ signCount: number; backedUp: boolean }> {
  checkClientData(response.clientDataJSON, ClientDataType.Get, expected);
  const { data, backedUp } = await checkAuthenticatorData(response.authenticatorData, expected);
  if (!(await verifyWebAuthnSignature(stored.publicKey, response.authenticatorData, response.clientDataJSON, response.signature))) fail('signature');
  const count = data.signatureCounter;
  if ((count !== 0 || stored.signCount !== 0) && count <= stored.signCount) fail('counter');
  return { signCount: count, backedUp };
}
