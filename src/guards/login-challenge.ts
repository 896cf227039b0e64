// Turnstile in place of the per-address sign-in limit: many people share one address (carrier-grade NAT, a campus,
// an office), so past that limit a solved challenge lets a sign-in through; the per-account limit still refuses.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { clientIp } from './address.ts';
import type { LoginReservation } from './login-throttle.ts';
import { TURNSTILE_FIELD, verifyTurnstile } from './turnstile.ts';

/**
 * What a throttled sign-in gets: `refuse` (the account's limit, or no Turnstile configured), `challenge` (ask for
 * one: none was posted, or it failed verification, which fails closed), or `pass` (a verified challenge).
 */
export async function answerThrottled(c: Context<AppEnv>, form: URLSearchParams, r: LoginReservation): Promise<'refuse' | 'challenge' | 'pass'> {
  const { turnstile } = c.get('services').config;
  if (!turnstile || r.limitedBy !== 'ip') return 'refuse';
  const passed = await verifyTurnstile(turnstile, form.get(TURNSTILE_FIELD), clientIp(c));
  if (form.has(TURNSTILE_FIELD)) recordAudit(c, { type: 'login.challenge', outcome: passed ? 'success' : 'failure' });
  return passed ? 'pass' : 'challenge';
}
