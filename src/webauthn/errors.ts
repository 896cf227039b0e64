// Why a WebAuthn ceremony was refused: one error type with a reason for the audit log, and base64url input.
import { fromBase64url as decode } from '../crypto/encoding.ts';

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
  if (typeof value !== 'string') fail('malformed');
  try {
    return decode(value as string);
  } catch {
    return fail('malformed');
  }
}
