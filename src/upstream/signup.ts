// Whether a first upstream sign-in may create a local account: the SIGNUP policy (issue 14), one function to ask.
import type { Context } from 'hono';
import { consumeInviteForEmail } from '../accounts/invites.ts';
import { nowSeconds } from '../clock.ts';
import type { AppEnv } from '../env.ts';
import type { UpstreamIdentity } from './identity.ts';

/**
 * SIGNUP=open lets anyone the provider signs in (and --allowed-domain admits) have an account. Under SIGNUP=invite, a
 * live invite for the identity's email admits it, and is consumed here, once, in D1; only an email the upstream
 * verified and the provider is trusted for (--trust-email) counts, as an unverified address proves nothing.
 */
export async function mayCreateAccount(c: Context<AppEnv>, who: UpstreamIdentity): Promise<boolean> {
  const { signup } = c.get('services').config;
  if (signup === 'open') return true;
  if (signup !== 'invite' || !who.emailVerified || !who.email) return false;
  return (await consumeInviteForEmail(c.env.DB, who.email, nowSeconds())) !== null;
}
