// A WebAuthn ceremony's server side: its challenge (random, bound, short-lived, single use) and what it must match.
import type { Context } from 'hono';
import { nowSeconds } from '../../clock.ts';
import { digestToken } from '../../crypto/digest.ts';
import { openEnvelope, sealEnvelope } from '../../crypto/jwt.ts';
import { randomToken } from '../../crypto/random.ts';
import type { AppEnv } from '../../env.ts';
import { recordPasskeyUse } from '../../store/passkeys.ts';
import { claimOnce } from '../../store/single-use.ts';
import type { Expected } from '../../webauthn/verify.ts';

const CHALLENGE_TYP = 'webauthn-challenge+jwt';
/** How long a page's WebAuthn challenge may be answered (WebAuthn L3 §13.4.3: unpredictable, short-lived). */
export const WEBAUTHN_CHALLENGE_TTL_SECONDS = 300;
// §13.4.3 asks for at least 16 random bytes.
const CHALLENGE_BYTES = 32;

/** A challenge and its sealed form, which the page posts back with the ceremony's answer. */
export interface IssuedChallenge {
  challenge: string;
  sealed: string;
  expiresAt: number;
}

/** What the challenge is bound to: the sign-in form's transaction, or the account page's session. */
export async function transactionBinding(tx: string | null): Promise<string> {
  return `tx:${await digestToken(tx ?? '')}`;
}

export function sessionBinding(sessionIdHash: string): string {
  return `session:${sessionIdHash}`;
}

export async function issueChallenge(c: Context<AppEnv>, binding: string): Promise<IssuedChallenge> {
  const challenge = randomToken(CHALLENGE_BYTES);
  const sealed = await sealEnvelope(c.get('services').envelopeKeys, CHALLENGE_TYP, { ch: challenge, bind: binding }, WEBAUTHN_CHALLENGE_TTL_SECONDS);
  return { challenge, sealed, expiresAt: nowSeconds() + WEBAUTHN_CHALLENGE_TTL_SECONDS };
}

/** The challenge a posted form carries, if we sealed it for this binding and it has not expired; else null. */
export async function openChallenge(c: Context<AppEnv>, sealed: string | null, binding: string): Promise<IssuedChallenge | null> {
  if (!sealed || sealed.length > 1024) return null;
  const claims = await openEnvelope(c.get('services').envelopeKeys, CHALLENGE_TYP, sealed);
  if (!claims || typeof claims.ch !== 'string' || claims.bind !== binding || typeof claims.exp !== 'number') return null;
  return { challenge: claims.ch, sealed, expiresAt: claims.exp };
}

/**
 * Single use, claimed once the answer has verified (a wrong answer may be retried with the same challenge): in the
 * user's SingleUseMarks object, near them, until the challenge would have expired anyway.
 */
export function claimChallenge(c: Context<AppEnv>, userId: string, challenge: string, expiresAt: number): Promise<boolean> {
  return claimOnce(c.env.SINGLE_USE, `webauthn:${userId}`, challenge, expiresAt, nowSeconds());
}

/** The RP ID is the issuer's host and the origin the issuer's, exactly (WebAuthn L3 §7.2 steps 13 and 15). */
export function relyingParty(c: Context<AppEnv>): { origin: string; rpId: string; name: string } {
  const { issuer, branding } = c.get('services').config;
  const url = new URL(issuer);
  return { origin: url.origin, rpId: url.hostname, name: branding.productName };
}

export function expectedFor(c: Context<AppEnv>, challenge: string, userVerification: boolean): Expected {
  const { origin, rpId } = relyingParty(c);
  return { origin, rpId, challenge, userVerification };
}

/** After a verified assertion, off the response path: the counter, backup state and last use (a failure is logged). */
export function notePasskeyUse(c: Context<AppEnv>, credentialId: string, verified: { signCount: number; backedUp: boolean }): void {
  c.executionCtx.waitUntil(recordPasskeyUse(c.env.DB, credentialId, verified.signCount, verified.backedUp, nowSeconds()).catch((err: unknown) => {
    console.error(JSON.stringify({ msg: 'passkey use not recorded', requestId: c.get('requestId'), error: String(err) }));
  }));
}
