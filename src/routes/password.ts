// /password/forgot and /password/reset: asking for a reset link, and choosing a new password from one.
import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { completePasswordReset, findResetUser, requestPasswordReset } from '../accounts/password-reset.ts';
import type { AppEnv } from '../env.ts';
import { texts } from '../middleware/language.ts';
import { isResetRequestThrottled } from '../guards/email-throttle.ts';
import { continueAfterPasswordChange } from '../interaction/after-password.ts';
import { pageBase, renderError } from '../interaction/render.ts';
import { openTransaction } from '../interaction/transaction.ts';
import { readForm } from '../oauth/params.ts';
import { ForgotPasswordPage, NewPasswordPage, NoticePage, weakPassword } from '../ui/password.ts';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function forgotPage(c: Context<AppEnv>, tx: string | null, identifier: string, error: string | null, status: 200 | 400 | 429 = 200) {
  c.status(status);
  return c.html(ForgotPasswordPage({ ...pageBase(c), transaction: tx, identifier, error }));
}

function expiredLink(c: Context<AppEnv>) {
  return renderError(c, 400, 'linkExpired', 'linkUsed');
}

function resetPage(c: Context<AppEnv>, token: string, username: string, error: string | null) {
  // The token is in this page's URL: no Referer may carry it anywhere (the layout's meta says so too).
  c.header('Referrer-Policy', 'no-referrer');
  const base = pageBase(c);
  return c.html(NewPasswordPage({
    ...base, username, error, action: '/password/reset', hidden: { name: 'token', value: token },
    heading: base.t.chooseNewPassword, lead: base.t.resetLead(username),
  }));
}

export const passwordRoutes = new Hono<AppEnv>()
  .get('/forgot', (c) => forgotPage(c, null, '', null))
  .post('/forgot', async (c) => {
    const form = await readForm(c.req.raw);
    const txField = form.get('tx');
    const tx = txField ? await openTransaction(c, txField) : null;
    if (txField && !tx) return renderError(c, 400, 'signInExpired', 'signInFormExpired');
    const identifier = form.get('identifier');
    // From the sign-in page's "Forgot password?": show the form, with the name typed there.
    if (identifier === null) return forgotPage(c, txField, (form.get('username') ?? '').trim().slice(0, 256), null);
    const name = identifier.trim();
    if (!name || name.length > 256) return forgotPage(c, txField, name.slice(0, 256), texts(c).enterIdentifier, 400);
    if (await isResetRequestThrottled(c, name)) {
      return forgotPage(c, txField, name, texts(c).tooManyRequests, 429);
    }
    requestPasswordReset(c, name, txField, tx ? new URL(tx.request.redirectUri).origin : null);
    // The same words for every name, existing or not (no account enumeration).
    const base = pageBase(c);
    return c.html(NoticePage({ ...base, title: base.t.checkEmail, message: base.t.resetSent }));
  })
  // A GET only shows the form: mail scanners that follow links must not use up the token (consumed by POST).
  .get('/reset', async (c) => {
    const token = c.req.query('token') ?? '';
    const user = TOKEN_PATTERN.test(token) ? await findResetUser(c, token) : null;
    return user ? resetPage(c, token, user.username, null) : expiredLink(c);
  })
  .post('/reset', async (c) => {
    const form = await readForm(c.req.raw);
    const token = form.get('token') ?? '';
    if (!TOKEN_PATTERN.test(token)) return expiredLink(c);
    const password = form.get('password') ?? '';
    if (password !== (form.get('confirm') ?? '')) {
      const user = await findResetUser(c, token);
      return user ? resetPage(c, token, user.username, texts(c).passwordsDiffer) : expiredLink(c);
    }
    const outcome = await completePasswordReset(c, token, password);
    if (outcome.kind === 'invalid') return expiredLink(c);
    if (outcome.kind === 'weak') return resetPage(c, token, outcome.username, weakPassword(texts(c), outcome.problem));
    // The transaction sealed at the request is still checked: past its lifetime, the confirmation page instead.
    const tx = outcome.tx ? await openTransaction(c, outcome.tx) : null;
    return continueAfterPasswordChange(c, tx, outcome.user.username, outcome.returnOrigin);
  });
