// Why a WebAuthn ceremony was refused: one error type with a reason for the audit log, and base64url input.
import { decodeBase64urlIgnorePadding } from '@oslojs/encoding';

export type WebAuthnFailure =
  | 'malformed' | 'type' | 'challenge' | 'origin' | 'rp_id' | 'user_presence' | 'user_verification'
  | 'algorithm' | 'attestation' | 'signature' | 'counter' | 'unknown_credential' | 'already_registered';

/** A refusal, with the reason for the audit log (never shown: the page says only that the passkey was refused). */
export class WebAuthnError extends Error {
  readonly reason: WebAuthnFailure;
  constructor(reason: WebAuthnFailure) {
    super(`webauthn: ${reason}`);
    this.reason = reason;
  }
}

export function fail(reason: WebAuthnFailure): never {
  throw new WebAuthnError(reason);
}

/** base64url to bytes; WebAuthnError('malformed') when it is not. */
export function fromBase64url(value: unknown): Uint8Array {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]*$/.test(value)) fail('malformed');
  try {
    return decodeBase64urlIgnorePadding(value as string);
  } catch {
    return fail('malformed');
  }
}
