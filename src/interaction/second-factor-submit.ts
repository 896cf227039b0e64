// The second-factor page's answers: a factor verified or enrolled raises the session to acr "2", then the journey goes on.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { texts } from '../middleware/language.ts';
import { authContextFor } from '../oauth/acr.ts';
import type { AuthorizationRequest } from '../oauth/authorize-request.ts';
import { usesRecordedConsent } from '../oauth/consent.ts';
import { findConsentedScopes } from '../store/consents.ts';
import { replicaReader } from '../store/db.ts';
import type { Journey } from './journey.ts';
import { loadPostedClient, type PostedTransaction } from './posted.ts';
import { continueJourney } from './remaining.ts';
import { rememberDevice } from './remember-device.ts';
import { renderError, renderLogin } from './render.ts';
import { offeredFactor, openInterstitial, openSecondFactorPage, showInterstitial, showSecondFactorPage } from './second-factor-page.ts';
import type { SecondFactorResult } from './second-factors.ts';
import { type BrowserSession, readSession, replaceSession } from './session.ts';
import { secondFactor } from './steps/second-factor.ts';

const EXPIRED = ['signInExpired', 'formAltered'] as const;

/** The posted page's client, and the live session it was shown in; otherwise the error or the sign-in page. */
async function resumeIn(c: Context<AppEnv>, request: AuthorizationRequest, sessionIdHash: string): Promise<Response | (PostedTransaction & { session: BrowserSession })> {
  const posted = await loadPostedClient(c, { request, consentSession: null });
  if (posted instanceof Response) return posted;
  const session = await readSession(c);
  // Bound to the session it was shown in: a form replayed in another session (or after logout) signs in again.
  if (!session || session.idHash !== sessionIdHash) return renderLogin(c, posted.client, request);
  return { ...posted, session };
}

/** The steps after this one, with the recorded consent read again (the page did not carry it). */
async function goOn(c: Context<AppEnv>, journey: Omit<Journey, 'consented'>): Promise<Response> {
  const { client, request, session } = journey;
  const consented = usesRecordedConsent(client, request) ? await findConsentedScopes(replicaReader(c.env.DB), session.userId, client.clientId) : null;
  return continueJourney(c, { ...journey, consented }, secondFactor);
}

/** POST /login/second-factor: the offered factor checks the form (or enrols), then the session is raised. */
export async function submitSecondFactor(c: Context<AppEnv>, form: URLSearchParams): Promise<Response> {
  const state = await openSecondFactorPage(c, form.get('tx'));
  if (!state) return renderError(c, 400, ...EXPIRED);
  const resumed = await resumeIn(c, state.request, state.sessionIdHash);
  if (resumed instanceof Response) return resumed;
  const { client, request, session } = resumed;
  const { passwordChangeRequired } = state;
  const factor = offeredFactor(state, form.get('factor'));
  const ctx = { userId: session.userId, clientId: client.clientId, challenge: state.challenge };
  const result: SecondFactorResult = !factor ? { ok: false, error: texts(c).chooseMethod, status: 200 } : state.mode === 'enrol' ? await factor.enrolment!.complete(c, form, ctx) : await factor.verify(c, form, ctx);
  if (!result.ok) {
    recordAudit(c, { type: 'mfa.failure', outcome: 'failure', userId: session.userId, clientId: client.clientId, detail: factor?.name ?? 'unknown' });
    const offered = state.factors.map((name) => offeredFactor(state, name)).filter((f) => f !== null);
    return showSecondFactorPage(c, { ...resumed, signedInNow: true, passwordChangeRequired }, state.mode, offered, { ...result, challenge: state.mode === 'enrol' ? state.challenge : undefined });
  }
  // RFC 8176 §2: the first factor's methods, the second's, and "mfa"; authContextFor makes that acr "2".
  const raised = await replaceSession(c, session, authContextFor([...new Set([...session.amr, ...factor!.amr, 'mfa'])]));
  if (state.mode === 'verify' && form.get('remember') === '1') await rememberDevice(c, session.userId);
  const journey = { client, request, session: raised, signedInNow: true, passwordChangeRequired };
  return result.interstitial ? showInterstitial(c, journey, result.interstitial) : goOn(c, journey);
}

/** POST /login/second-factor/continue: after what a factor showed once, in the raised session it was shown in. */
export async function continueAfterSecondFactor(c: Context<AppEnv>, form: URLSearchParams): Promise<Response> {
  const state = await openInterstitial(c, form.get('tx'));
  if (!state) return renderError(c, 400, ...EXPIRED);
  const resumed = await resumeIn(c, state.request, state.sessionIdHash);
  if (resumed instanceof Response) return resumed;
  const { client, request, session } = resumed;
  return goOn(c, { client, request, session, signedInNow: true, passwordChangeRequired: state.passwordChangeRequired });
}
