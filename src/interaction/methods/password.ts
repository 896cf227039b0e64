// The password method: a username and password from a sign-in form; generic failures, equal cost for unknown users.
import type { Context } from 'hono';
import { PASSWORD_MAX_CHARS } from '../../constants.ts';
import { hashPassword, verifyDummyPassword, verifyPassword } from '../../crypto/password.ts';
import type { AppEnv } from '../../env.ts';
import { recordAudit } from '../../middleware/audit.ts';
import { texts } from '../../middleware/language.ts';
import { PASSWORD_AUTH } from '../../oauth/acr.ts';
import { passwordLength } from '../../policy/unicode.ts';
import { answerThrottled } from '../../guards/login-challenge.ts';
import { loginSucceeded, reserveLoginAttempt } from '../../guards/login-throttle.ts';
import { nowSeconds } from '../../clock.ts';
import { type ConsentByUsername, findConsentByUsername } from '../../store/consents.ts';
import { replicaReader } from '../../store/db.ts';
import { hasPassword } from '../../store/user-row.ts';
import { findUserForSignIn, updatePasswordHash, type User } from '../../store/users.ts';
import type { FirstFactorMethod, SignInResult } from '../journey.ts';
import { startSession } from '../session.ts';

/** Why a user who gave the right password may still not sign in, or null; said only after the right password. */
export function refuseAccount(c: Context<AppEnv>, user: User, clientId: string, expectedUserId: string | null): string | null {
  if (user.disabled) {
    // Said only after the right password, so it reveals nothing to a guesser.
    recordAudit(c, { type: 'login.failure', outcome: 'failure', userId: user.id, clientId, detail: 'disabled' });
    return texts(c).accountDisabled;
  }
  if (expectedUserId !== null && user.id !== expectedUserId) {
    // Also said only after the right password, and it names neither account, so nothing leaks.
    recordAudit(c, { type: 'login.failure', outcome: 'failure', userId: user.id, clientId, detail: 'not_hinted_user' });
    // OIDC Core §3.1.2.1: the client named the account it expects (id_token_hint); another account is refused.
    return texts(c).otherAccountExpected;
  }
  return null;
}

/**
 * Verifies the form's credentials and, on success, starts the SSO session; with `expectedUserId` (from an
 * id_token_hint) only for that user.
 */
export async function signInWithPassword(
  c: Context<AppEnv>,
  form: URLSearchParams,
  clientId: string,
  expectedUserId: string | null = null,
): Promise<SignInResult> {
  const { peppers } = c.get('services');
  const username = (form.get('username') ?? '').trim();
  const password = form.get('password') ?? '';
  if (!username || !password || username.length > 256 || passwordLength(password) > PASSWORD_MAX_CHARS) {
    return { ok: false, username: username.slice(0, 256), error: texts(c).invalidCredentials, status: 200 };
  }
  const [reservation, user] = await Promise.all([
    reserveLoginAttempt(c, username, clientId),
    findUserForSignIn(replicaReader(c.env.DB), username),
  ]);
  // Throttled: refused before any PBKDF2, so guessing cannot burn our CPU either.
  const answer = reservation.throttled ? await answerThrottled(c, form, reservation) : 'pass';
  // Worded the same whether or not the account exists.
  if (answer === 'refuse') return { ok: false, username, error: texts(c).tooManySignIns, status: 429 };
  if (answer === 'challenge') return { ok: false, username, error: texts(c).challengeRequired, status: 429, challenge: true };
  // Unknown users cost one PBKDF2 too, so timing does not reveal which usernames exist.
  // A passwordless account (passkeys only, or made by an upstream sign-in) is refused as a wrong password is, after
  // the same PBKDF2.
  const check = user && hasPassword(user) ? await verifyPassword(password, user.passwordHash, peppers) : await verifyDummyPassword(password, peppers);
  if (!user || !check.ok) {
    recordAudit(c, { type: 'login.failure', outcome: 'failure', userId: user?.id ?? null, clientId, detail: user ? 'bad_password' : 'unknown_user' });
    return { ok: false, username, error: texts(c).invalidCredentials, status: 200 };
  }
  const refusal = refuseAccount(c, user, clientId, expectedUserId);
  if (refusal) return { ok: false, username, error: refusal, status: 200 };
  if (check.needsRehash) {
    c.executionCtx.waitUntil(hashPassword(password, peppers).then((hash) => updatePasswordHash(c.env.DB, user.id, user.passwordHash, hash)).catch(() => undefined));
  }
  loginSucceeded(c, reservation);
  recordAudit(c, { type: 'login.success', outcome: 'success', userId: user.id, clientId });
  return { ok: true, session: await startSession(c, user.id, nowSeconds(), PASSWORD_AUTH), user };
}

/** The recorded consent of the user the form names, read from a replica alongside the sign-in's own lookup. */
function findRecordedConsent(c: Context<AppEnv>, form: URLSearchParams, clientId: string): Promise<ConsentByUsername | null> {
  const username = (form.get('username') ?? '').trim();
  if (!username || username.length > 256) return Promise.resolve(null);
  return findConsentByUsername(replicaReader(c.env.DB), username, clientId);
}

export const passwordMethod: FirstFactorMethod = { signIn: signInWithPassword, findRecordedConsent };
