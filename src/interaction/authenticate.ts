// The first factor: a method from the table signs the user in, then the remaining steps run. A new method is a
// file under methods/ and a line in FIRST_FACTORS.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { texts } from '../middleware/language.ts';
import { usesRecordedConsent } from '../oauth/consent.ts';
import type { FirstFactorMethod } from './journey.ts';
import { passkeyMethod } from './methods/passkey.ts';
import { passwordMethod } from './methods/password.ts';
import type { PostedTransaction } from './posted.ts';
import { continueJourney } from './remaining.ts';
import { renderLogin } from './render.ts';

/** The first-factor methods by the name a sign-in form posts in its `method` field. */
export const FIRST_FACTORS: Record<string, FirstFactorMethod> = {
  password: passwordMethod,
  passkey: passkeyMethod,
};

/** A method the form named but the table lacks: refused as the form's bad input is, before any lookup. */
const unknownMethod: FirstFactorMethod = {
  signIn: async (c, form) => ({ ok: false, username: (form.get('username') ?? '').trim().slice(0, 256), error: texts(c).invalidCredentials, status: 200 }),
};

/** The method the form names (password when it names none); own properties only, so `__proto__` is unknown. */
export function findFirstFactor(form: URLSearchParams): FirstFactorMethod {
  const name = form.get('method') ?? 'password';
  return Object.hasOwn(FIRST_FACTORS, name) ? FIRST_FACTORS[name]! : unknownMethod;
}

/**
 * Signs in with the method the form names: a refusal re-renders the sign-in page; success runs the remaining
 * steps, never the open step's checks again (they asked for this sign-in).
 */
export async function authenticate(c: Context<AppEnv>, form: URLSearchParams, { client, request }: PostedTransaction): Promise<Response> {
  const method = findFirstFactor(form);
  const [result, recorded] = await Promise.all([
    method.signIn(c, form, client.clientId, request.idTokenHintSub),
    usesRecordedConsent(client, request) && method.findRecordedConsent ? method.findRecordedConsent(c, form, client.clientId) : null,
  ]);
  if (!result.ok) return renderLogin(c, client, request, { username: result.username, error: result.error, status: result.status, challenge: result.challenge });
  // Read by what the form named, so it counts only if it is the record of the user who signed in.
  const consented = recorded?.userId === result.session.userId ? recorded.scopes : null;
  return continueJourney(c, { client, request, session: result.session, user: result.user, consented, signedInNow: true });
}
