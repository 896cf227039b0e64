// WebAuthn Level 3 relying-party checks: a registration (§7.1) and an authentication assertion (§7.2).
import { sha256, timingSafeEqual } from '../crypto/compare.ts';
import { toBase64url } from '../crypto/encoding.ts';
import { readCoseKey, verifyWebAuthnSignature } from '../crypto/webauthn.ts';
import { checkAttestation, readAttestationObject } from './attestation.ts';
import { fail, fromBase64url } from './errors.ts';
import { type AuthenticatorData, FLAG_BE, FLAG_BS, FLAG_UP, FLAG_UV, parseAuthenticatorData, parseClientData } from './parse.ts';

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

// §7.1 step 25: credential ids longer than this are refused.
const MAX_CREDENTIAL_ID_BYTES = 1023;

function checkClientData(clientDataJSON: Uint8Array, type: 'webauthn.create' | 'webauthn.get', expected: Expected): void {
  const data = parseClientData(clientDataJSON);
  if (data.type !== type) fail('type');
  if (!timingSafeEqual(fromBase64url(data.challenge), fromBase64url(expected.challenge))) fail('challenge');
  // §7.2 steps 13-14: the exact origin, and not from a cross-origin iframe.
  if (data.origin !== expected.origin || data.crossOrigin) fail('origin');
}

/** §7.2 steps 15-17: the RP ID's hash, user presence, user verification where required; BS never without BE (§6.1). */
async function checkAuthenticatorData(raw: Uint8Array, expected: Expected): Promise<AuthenticatorData> {
  const data = parseAuthenticatorData(raw);
  if (!timingSafeEqual(data.rpIdHash, await sha256(new TextEncoder().encode(expected.rpId)))) fail('rp_id');
  if (!(data.flags & FLAG_UP)) fail('user_presence');
  if (expected.userVerification && !(data.flags & FLAG_UV)) fail('user_verification');
  if (data.flags & FLAG_BS && !(data.flags & FLAG_BE)) fail('malformed');
  return data;
}

/**
 * §7.1: clientData (type webauthn.create, challenge, origin), authenticator data (RP ID hash, UP, UV), the
 * credential and its key (an algorithm we verify), then the attestation statement.
 */
export async function verifyRegistration(response: { clientDataJSON: Uint8Array; attestationObject: Uint8Array }, expected: Expected): Promise<RegisteredCredential> {
  checkClientData(response.clientDataJSON, 'webauthn.create', expected);
  const statement = readAttestationObject(response.attestationObject);
  const data = await checkAuthenticatorData(statement.authData, expected);
  const credential = data.attested ?? fail('malformed');
  if (credential.credentialId.byteLength > MAX_CREDENTIAL_ID_BYTES) fail('malformed');
  const key = readCoseKey(statement.authData.subarray(credential.keyOffset)) ?? fail('algorithm');
  await checkAttestation(statement, key, response.clientDataJSON);
  return {
    id: toBase64url(credential.credentialId), publicKey: key.bytes, algorithm: key.algorithm, signCount: data.signCount,
    aaguid: [...credential.aaguid].map((b) => b.toString(16).padStart(2, '0')).join(''),
    backupEligible: (data.flags & FLAG_BE) !== 0, backedUp: (data.flags & FLAG_BS) !== 0,
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
  checkClientData(response.clientDataJSON, 'webauthn.get', expected);
  const data = await checkAuthenticatorData(response.authenticatorData, expected);
  if (!(await verifyWebAuthnSignature(stored.publicKey, response.authenticatorData, response.clientDataJSON, response.signature))) fail('signature');
  const count = data.signCount;
  if ((count !== 0 || stored.signCount !== 0) && count <= stored.signCount) fail('counter');
  return { signCount: count, backedUp: (data.flags & FLAG_BS) !== 0 };
}
