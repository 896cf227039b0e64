// /password/forgot and /password/reset: asking for a reset link, and choosing a new password from one.
import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { completePasswordReset, findResetUser, requestPasswordReset } from '../accounts/password-reset.ts';
import type { AppEnv } from '../env.ts';
import { isResetRequestThrottled } from '../guards/email-throttle.ts';
import { continueAfterPasswordChange } from '../interaction/after-password.ts';
import { renderError } from '../interaction/render.ts';
import { openTransaction } from '../interaction/transaction.ts';
import { readForm } from '../oauth/params.ts';
import { ForgotPasswordPage, NewPasswordPage, NoticePage } from '../ui/password.ts';

// The same words for every name, existing or not (no account enumeration).
export const RESET_SENT = 'If an account matches, we have sent a link to its email address. It works once, for 30 minutes.';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MISMATCH = 'The two passwords are not the same.';

function forgotPage(c: Context<AppEnv>, tx: string | null, identifier: string, error: string | null, status: 200 | 400 | 429 = 200) {
  c.status(status);
  return c.html(ForgotPasswordPage({ branding: c.get('services').config.branding, transaction: tx, identifier, error }));
}

function expiredLink(c: Context<AppEnv>) {
  return renderError(c, 400, 'Link expired', 'This link has expired or has already been used. Ask for a new one.');
}

function resetPage(c: Context<AppEnv>, token: string, username: string, error: string | null) {
  // The token is in this page's URL: no Referer may carry it anywhere (the layout's meta says so too).
  c.header('Referrer-Policy', 'no-referrer');
  return c.html(NewPasswordPage({
    branding: c.get('services').config.branding, username, error, action: '/password/reset', hidden: { name: 'token', value: token },
    heading: 'Choose a new password', lead: `For your account ${username}. Every session of the account will be signed out.`,
  }));
}

export const passwordRoutes = new Hono<AppEnv>()
  .get('/forgot', (c) => forgotPage(c, null, '', null))
  .post('/forgot', async (c) => {
    const form = await readForm(c.req.raw);
    const txField = form.get('tx');
    const tx = txField ? await openTransaction(c, txField) : null;
    if (txField && !tx) return renderError(c, 400, 'Sign-in expired', 'This sign-in form has expired or was altered.');
    const identifier = form.get('identifier');
    // From the sign-in page's "Forgot password?": show the form, with the name typed there.
    if (identifier === null) return forgotPage(c, txField, (form.get('username') ?? '').trim().slice(0, 256), null);
    const name = identifier.trim();
    if (!name || name.length > 256) return forgotPage(c, txField, name.slice(0, 256), 'Enter your username or email address.', 400);
    if (await isResetRequestThrottled(c, name)) {
      return forgotPage(c, txField, name, 'Too many requests. Wait a few minutes and try again.', 429);
    }
    requestPasswordReset(c, name, txField, tx ? new URL(tx.request.redirectUri).origin : null);
    return c.html(NoticePage({ branding: c.get('services').config.branding, title: 'Check your email', message: RESET_SENT }));
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
      return user ? resetPage(c, token, user.username, MISMATCH) : expiredLink(c);
    }
    const outcome = await completePasswordReset(c, token, password);
    if (outcome.kind === 'invalid') return expiredLink(c);
    if (outcome.kind === 'weak') return resetPage(c, token, outcome.username, `Choose another password: the ${outcome.problem}.`);
    // The transaction sealed at the request is still checked: past its lifetime, the confirmation page instead.
    const tx = outcome.tx ? await openTransaction(c, outcome.tx) : null;
    return continueAfterPasswordChange(c, tx, outcome.user.username, outcome.returnOrigin);
  });
