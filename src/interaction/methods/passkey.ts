// The passkey method: a discoverable credential's assertion (WebAuthn L3 §7.2), user-verified, and no password.
import type { Context } from 'hono';
import { nowSeconds } from '../../clock.ts';
import type { AppEnv } from '../../env.ts';
import { recordAudit } from '../../middleware/audit.ts';
import { texts } from '../../middleware/language.ts';
import { authContextFor } from '../../oauth/acr.ts';
import { replicaReader } from '../../store/db.ts';
import { findPasskeyWithUser, type Passkey } from '../../store/passkeys.ts';
import type { User } from '../../store/users.ts';
import { WebAuthnError } from '../../webauthn/errors.ts';
import { type PostedAssertion, readPostedAssertion } from '../../webauthn/response.ts';
import { verifyAssertion } from '../../webauthn/verify.ts';
import type { FirstFactorMethod, SignInResult } from '../journey.ts';
import { claimChallenge, expectedFor, type IssuedChallenge, notePasskeyUse, openChallenge, transactionBinding } from '../passkey/ceremony.ts';
import { startSession } from '../session.ts';
import { refuseAccount } from './password.ts';

/** RFC 8176: a hardware-bound key, verified user presence and identity (UV), a multi-factor authenticator alone. */
export const PASSKEY_AUTH = authContextFor(['hwk', 'user', 'mfa']);

/** The posted assertion's credential and user, checked; a WebAuthnError names why not. */
async function checkAssertion(c: Context<AppEnv>, issued: IssuedChallenge, assertion: PostedAssertion): Promise<{ passkey: Passkey; user: User; signCount: number; backedUp: boolean }> {
  const found = await findPasskeyWithUser(replicaReader(c.env.DB), assertion.credentialId);
  if (!found) throw new WebAuthnError('unknown_credential');
  // §7.2 step 6: a user handle, when the authenticator returns one, must be the credential's user.
  if (assertion.userHandle && new TextDecoder().decode(assertion.userHandle) !== found.user.id) throw new WebAuthnError('unknown_credential');
  // UV is required of a first factor (issue 13): the passkey is then the whole sign-in.
  const verified = await verifyAssertion(assertion, expectedFor(c, issued.challenge, true), found.passkey);
  // Single use, claimed only for an answer that verified: a replayed one finds its challenge taken.
  if (!(await claimChallenge(c, found.user.id, issued.challenge, issued.expiresAt))) throw new WebAuthnError('challenge');
  return { ...found, ...verified };
}

/** Generic on the page; the reason goes to the audit log only. */
function refused(c: Context<AppEnv>, clientId: string, reason: string): SignInResult {
  recordAudit(c, { type: 'login.failure', outcome: 'failure', clientId, detail: `passkey:${reason}` });
  return { ok: false, username: '', error: texts(c).passkeyRefused, status: 200 };
}

/**
 * The passkey sign-in (POST /login or /device/login, method=passkey). Never throttled by the password counters
 * (issue 13: a passkey cannot be guessed); its counter and last use are written after the response.
 */
export async function signInWithPasskey(c: Context<AppEnv>, form: URLSearchParams, clientId: string, expectedUserId: string | null): Promise<SignInResult> {
  const issued = await openChallenge(c, form.get('passkey_challenge'), await transactionBinding(form.get('tx')));
  if (!issued) return refused(c, clientId, 'challenge');
  let checked: Awaited<ReturnType<typeof checkAssertion>>;
  try {
    checked = await checkAssertion(c, issued, readPostedAssertion(form));
  } catch (err) {
    if (err instanceof WebAuthnError) return refused(c, clientId, err.reason);
    throw err;
  }
  const { passkey, user } = checked;
  const refusal = refuseAccount(c, user, clientId, expectedUserId);
  if (refusal) return { ok: false, username: '', error: refusal, status: 200 };
  notePasskeyUse(c, passkey.credentialId, checked);
  recordAudit(c, { type: 'login.success', outcome: 'success', userId: user.id, clientId, detail: 'passkey' });
  return { ok: true, session: await startSession(c, user.id, nowSeconds(), PASSKEY_AUTH), user };
}

export const passkeyMethod: FirstFactorMethod = { signIn: signInWithPasskey };
