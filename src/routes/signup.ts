// /signup: creating an account (SIGNUP=open, or invite with a live invite); the same answer for taken names.
import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { nowSeconds } from '../clock.ts';
import { findInviteByToken } from '../accounts/invites.ts';
import { readSignupFields, type SignupFields } from '../accounts/sign-up-form.ts';
import { startSignup } from '../accounts/sign-up.ts';
import type { AppEnv } from '../env.ts';
import { clientIp } from '../guards/address.ts';
import { isSignupThrottled } from '../guards/signup-throttle.ts';
import { TURNSTILE_FIELD, verifyTurnstile } from '../guards/turnstile.ts';
import { renderError } from '../interaction/render.ts';
import { readForm } from '../oauth/params.ts';
import type { Invite } from '../store/invites.ts';
import { NoticePage } from '../ui/password.ts';
import { SignupPage } from '../ui/signup.ts';

// The same words whether the account was created or its username or address was taken (no enumeration).
export const SIGNUP_SENT = 'We have sent an email to the address you gave. Follow its link to confirm the address, then sign in.';
type Offer = { kind: 'closed' } | { kind: 'bad_invite' } | { kind: 'ok'; invite: (Invite & { token: string }) | null };

/** Whether this request may sign up: SIGNUP=closed refuses, invite needs a live invite, open lets anyone. */
async function findOffer(c: Context<AppEnv>, token: string | null): Promise<Offer> {
  const mode = c.get('services').config.signup;
  if (mode === 'closed') return { kind: 'closed' };
  if (mode === 'open') return { kind: 'ok', invite: null };
  const invite = token ? await findInviteByToken(c.env.DB, token, nowSeconds()) : null;
  return invite && token ? { kind: 'ok', invite: { ...invite, token } } : { kind: 'bad_invite' };
}

function refuse(c: Context<AppEnv>, offer: Offer) {
  return offer.kind === 'closed'
    ? renderError(c, 404, 'Sign-up is closed', 'New accounts are created by an administrator.')
    : renderError(c, 400, 'Invite expired', 'This invite link has expired or has already been used. Ask for a new one.');
}

function form(c: Context<AppEnv>, invite: { token: string; email: string } | null, values: Omit<SignupFields, 'password'>, error: string | null, status: 200 | 400 | 429 = 200) {
  const { config } = c.get('services');
  // An invite's token is in the URL: no Referer may carry it anywhere.
  c.header('Referrer-Policy', 'no-referrer');
  c.status(status);
  return c.html(SignupPage({ branding: config.branding, invite, values, error, turnstileSiteKey: config.turnstile?.siteKey ?? null }));
}

export const signupRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const offer = await findOffer(c, c.req.query('invite') ?? null);
    if (offer.kind !== 'ok') return refuse(c, offer);
    return form(c, offer.invite, { username: '', email: offer.invite?.email ?? '', name: '' }, null);
  })
  .post('/', async (c) => {
    const { config } = c.get('services');
    if (config.signup === 'closed') return refuse(c, { kind: 'closed' });
    const posted = await readForm(c.req.raw);
    const offer = await findOffer(c, posted.get('invite'));
    if (offer.kind !== 'ok') return refuse(c, offer);
    const { fields, problem } = readSignupFields(posted, offer.invite?.email ?? null, config.branding.productName);
    const again = (error: string, status: 400 | 429) => form(c, offer.invite, fields, error, status);
    if (problem) return again(problem, 400);
    // Fails closed: without a verified challenge nothing is counted, looked up or stored.
    if (config.turnstile && !(await verifyTurnstile(config.turnstile, posted.get(TURNSTILE_FIELD), clientIp(c)))) {
      return again('Complete the challenge to show you are not a robot, then try again.', 400);
    }
    if (await isSignupThrottled(c)) return again('Too many sign-ups from your network. Wait a few minutes and try again.', 429);
    startSignup(c, fields, offer.invite?.tokenHash ?? null);
    return c.html(NoticePage({ branding: config.branding, title: 'Check your email', message: SIGNUP_SENT }));
  });
