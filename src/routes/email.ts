// /email/verify: confirming an address from the mail's link (GET shows a button, POST consumes) or by its code.
import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { confirmEmailByCode, confirmEmailByLink } from '../accounts/email-verification.ts';
import { openVerifyCodeForm, showVerifyCodePage } from '../accounts/verify-code-page.ts';
import type { AppEnv } from '../env.ts';
import { renderError } from '../interaction/render.ts';
import { readForm } from '../oauth/params.ts';
import { ConfirmEmailPage } from '../ui/email-verify.ts';
import { NoticePage } from '../ui/password.ts';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function verified(c: Context<AppEnv>) {
  return c.html(NoticePage({ branding: c.get('services').config.branding, title: 'Email address confirmed', message: 'Thank you: your email address is confirmed.' }));
}

function expiredLink(c: Context<AppEnv>) {
  return renderError(c, 400, 'Link expired', 'This link has expired or has already been used. Ask for a new one.');
}

export const emailRoutes = new Hono<AppEnv>()
  .get('/verify', (c) => {
    const token = c.req.query('token') ?? '';
    if (!TOKEN_PATTERN.test(token)) return expiredLink(c);
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(ConfirmEmailPage({ branding: c.get('services').config.branding, token }));
  })
  .post('/verify', async (c) => {
    const form = await readForm(c.req.raw);
    const token = form.get('token');
    if (token !== null) return TOKEN_PATTERN.test(token) && (await confirmEmailByLink(c, token)) ? verified(c) : expiredLink(c);
    const user = await openVerifyCodeForm(c, form.get('ev'));
    if (!user) return renderError(c, 400, 'Form expired', 'This form has expired or was altered. Ask for a new email.');
    const outcome = await confirmEmailByCode(c, user.id, (form.get('code') ?? '').trim());
    if (outcome === 'verified') return verified(c);
    if (outcome === 'throttled') return showVerifyCodePage(c, user, 'Too many attempts. Wait a few minutes, or follow the link in the email.', 429);
    return showVerifyCodePage(c, user, 'That code is not right, or it has expired.', 400);
  });
