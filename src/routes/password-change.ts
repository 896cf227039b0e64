// POST /password/change: the new password a sign-in required (user require-password-change), then sign in again.
import { Hono } from 'hono/tiny';
import { changeOwnPassword } from '../accounts/password-change.ts';
import type { AppEnv } from '../env.ts';
import { continueAfterPasswordChange } from '../interaction/after-password.ts';
import { renderError } from '../interaction/render.ts';
import { openPasswordChangeEnvelope, showPasswordChange } from '../interaction/steps/password-change.ts';
import { readForm } from '../oauth/params.ts';
import { findUserById } from '../store/users.ts';

export const passwordChangeRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const form = await readForm(c.req.raw);
  const envelope = await openPasswordChangeEnvelope(c, form.get('tx'));
  // Read on the primary: once changed, the flag is cleared, so a replayed form cannot change the password again.
  const user = envelope && (await findUserById(c.env.DB, envelope.userId));
  if (!envelope || !user || user.disabled || !user.passwordChangeRequired) {
    return renderError(c, 400, 'Sign-in expired', 'This form has expired or was already used. Sign in again.');
  }
  const password = form.get('password') ?? '';
  if (password !== (form.get('confirm') ?? '')) return showPasswordChange(c, user.id, user.username, envelope.tx.request, 'The two passwords are not the same.');
  const problem = await changeOwnPassword(c, user, password, 'required');
  if (problem) return showPasswordChange(c, user.id, user.username, envelope.tx.request, `Choose another password: the ${problem}.`);
  return continueAfterPasswordChange(c, envelope.tx, user.username, null);
});
