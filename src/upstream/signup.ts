// Whether a first upstream sign-in may create a local account: the SIGNUP policy (issue 14), one function to ask.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import type { UpstreamIdentity } from './identity.ts';

/**
 * SIGNUP=open lets anyone the provider signs in (and --allowed-domain admits) have an account; an invite for the
 * identity's verified email admits them under SIGNUP=invite. Until the sign-up issue's invites are merged, only open.
 */
export async function mayCreateAccount(c: Context<AppEnv>, _who: UpstreamIdentity): Promise<boolean> {
  return c.env.SIGNUP === 'open';
}
