// PKCE (RFC 7636): S256 challenges only, verifier syntax per §4.1, constant-time check.
import { verifierMatchesS256Challenge } from '../crypto/digest.ts';
import { OAuthError } from './errors.ts';

const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;
// An S256 challenge is the base64url of a SHA-256 digest: exactly 43 characters.
const S256_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Checks the authorization request's challenge; returns it, or null when none was sent. */
export function readCodeChallenge(challenge: string | undefined, method: string | undefined): string | null {
  if (challenge === undefined) {
    if (method !== undefined) throw new OAuthError('invalid_request', 'code_challenge_method without code_challenge');
    return null;
  }
  // RFC 7636 §4.3 defaults a missing method to "plain"; RFC 9700 §2.1.1 says not to accept plain.
  if (method !== 'S256') throw new OAuthError('invalid_request', 'code_challenge_method must be S256');
  if (!S256_CHALLENGE_PATTERN.test(challenge)) throw new OAuthError('invalid_request', 'code_challenge is not a valid S256 challenge');
  return challenge;
}

/** RFC 7636 §4.6 at the token endpoint. A verifier for a code without a challenge is a downgrade attempt. */
export async function verifyPkce(verifier: string | undefined, challenge: string | null): Promise<void> {
  if (challenge === null) {
    if (verifier !== undefined) throw new OAuthError('invalid_grant', 'code_verifier sent for a code issued without code_challenge');
    return;
  }
  if (verifier === undefined) throw new OAuthError('invalid_grant', 'code_verifier is required');
  if (!VERIFIER_PATTERN.test(verifier)) throw new OAuthError('invalid_grant', 'code_verifier is malformed');
  if (!(await verifierMatchesS256Challenge(verifier, challenge))) {
    throw new OAuthError('invalid_grant', 'code_verifier does not match code_challenge');
  }
}
