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
import { pageBase, renderError } from '../interaction/render.ts';
import { texts } from '../middleware/language.ts';
import { readForm } from '../oauth/params.ts';
import type { Invite } from '../store/invites.ts';
import { NoticePage } from '../ui/password.ts';
import { SignupPage } from '../ui/signup.ts';

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
    ? renderError(c, 404, 'signupClosed', 'signupClosedText')
    : renderError(c, 400, 'inviteExpired', 'inviteExpiredText');
}

function form(c: Context<AppEnv>, invite: { token: string; email: string } | null, values: Omit<SignupFields, 'password'>, error: string | null, status: 200 | 400 | 429 = 200) {
  const { config } = c.get('services');
  // An invite's token is in the URL: no Referer may carry it anywhere.
  c.header('Referrer-Policy', 'no-referrer');
  c.status(status);
  return c.html(SignupPage({ ...pageBase(c), invite, values, error, turnstileSiteKey: config.turnstile?.siteKey ?? null }));
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
    const { fields, problem } = readSignupFields(texts(c), posted, offer.invite?.email ?? null, config.branding.productName);
    const again = (error: string, status: 400 | 429) => form(c, offer.invite, fields, error, status);
    if (problem) return again(problem, 400);
    // Fails closed: without a verified challenge nothing is counted, looked up or stored.
    if (config.turnstile && !(await verifyTurnstile(config.turnstile, posted.get(TURNSTILE_FIELD), clientIp(c)))) {
      return again(texts(c).challengeFailed, 400);
    }
    if (await isSignupThrottled(c)) return again(texts(c).signupThrottled, 429);
    startSignup(c, fields, offer.invite?.tokenHash ?? null);
    // The same words whether the account was created or its username or address was taken (no enumeration).
    const base = pageBase(c);
    return c.html(NoticePage({ ...base, title: base.t.checkEmail, message: base.t.signupSent }));
  });
