// A required action after the first factor: `user require-password-change` makes the next sign-in choose a new password.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.ts';
import { useLocale } from '../../middleware/language.ts';
import type { AuthorizationRequest } from '../../oauth/authorize-request.ts';
import { replicaReader } from '../../store/db.ts';
import { findUserById } from '../../store/users.ts';
import { NewPasswordPage } from '../../ui/password.ts';
import type { RemainingStep } from '../journey.ts';
import { pageBase } from '../render.ts';
import { openPageEnvelope, sealPageEnvelope, type Transaction } from '../transaction.ts';

const PASSWORD_CHANGE_TYP = 'password-change+jwt';

/** What the page posts to /password/change: the user who just signed in and the request to resume. */
export interface PasswordChangeEnvelope {
  userId: string;
  tx: Transaction;
}

export async function openPasswordChangeEnvelope(c: Context<AppEnv>, token: string | null): Promise<PasswordChangeEnvelope | null> {
  const claims = await openPageEnvelope(c, PASSWORD_CHANGE_TYP, token);
  if (typeof claims?.uid !== 'string' || !claims.tx) return null;
  const tx = claims.tx as Transaction;
  useLocale(c, tx.request.uiLocale);
  return { userId: claims.uid, tx };
}

/** The page; sealed again (with `error`) when the posted password is refused. */
export async function showPasswordChange(c: Context<AppEnv>, userId: string, username: string, request: AuthorizationRequest, error: string | null = null) {
  const envelope = await sealPageEnvelope(c, PASSWORD_CHANGE_TYP, { uid: userId, tx: { request, consentSession: null } });
  const base = pageBase(c);
  return c.html(NewPasswordPage({
    ...base, username, error, action: '/password/change', hidden: { name: 'tx', value: envelope },
    heading: base.t.chooseNewPassword, lead: base.t.changeLead,
  }));
}

export const requirePasswordChange: RemainingStep = {
  name: 'password-change',
  // Only at a sign-in: the method passes the user it read, or the second-factor page the flag it sealed (no round
  // trip); otherwise a replica is read.
  async run(c, { request, session, signedInNow, user: signedIn, passwordChangeRequired }) {
    if (!signedInNow || passwordChangeRequired === false) return null;
    const user = signedIn ?? (await findUserById(replicaReader(c.env.DB), session.userId));
    if (!user?.passwordChangeRequired) return null;
    return showPasswordChange(c, user.id, user.username, request);
  },
};
