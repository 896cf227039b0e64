// The first factor: a method from the table signs the user in, then the remaining steps run. A new method is a
// file under methods/ and a line in FIRST_FACTORS.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { usesRecordedConsent } from '../oauth/consent.ts';
import type { FirstFactorMethod } from './journey.ts';
import { passwordMethod } from './methods/password.ts';
import type { PostedTransaction } from './posted.ts';
import { continueJourney } from './remaining.ts';
import { renderLogin } from './render.ts';

export const FIRST_FACTORS = {
  password: passwordMethod,
} as const satisfies Record<string, FirstFactorMethod>;

/**
 * Signs in with `method` from a posted form: a refusal re-renders the sign-in page; success runs the remaining
 * steps, never the open step's checks again (they asked for this sign-in).
 */
export async function authenticate(c: Context<AppEnv>, method: FirstFactorMethod, form: URLSearchParams, { client, request }: PostedTransaction): Promise<Response> {
  const [result, recorded] = await Promise.all([
    method.signIn(c, form, client.clientId, request.idTokenHintSub),
    usesRecordedConsent(client, request) && method.findRecordedConsent ? method.findRecordedConsent(c, form, client.clientId) : null,
  ]);
  if (!result.ok) return renderLogin(c, client, request, { username: result.username, error: result.error, status: result.status });
  // Read by what the form named, so it counts only if it is the record of the user who signed in.
  const consented = recorded?.userId === result.session.userId ? recorded.scopes : null;
  return continueJourney(c, { client, request, session: result.session, consented, signedInNow: true });
}
