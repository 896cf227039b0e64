// The first step, from /authorize (OIDC Core §3.1.2.1-§3.1.2.3): answer from the SSO session, or ask for a sign-in.
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import type { AppEnv } from '../env.ts';
import type { AuthorizationRequest } from '../oauth/authorize-request.ts';
import { usesRecordedConsent } from '../oauth/consent.ts';
import { OAuthError } from '../oauth/errors.ts';
import type { Client } from '../store/clients.ts';
import { findConsentedScopes } from '../store/consents.ts';
import { replicaReader } from '../store/db.ts';
import { enabledProvider, startUpstream } from '../upstream/start.ts';
import type { MfaFacts } from '../store/mfa-facts.ts';
import { findSessionStateWithMfa } from '../store/sessions.ts';
import { mayNeedSecondFactor, mfaPolicyFor } from './mfa-policy.ts';
import { continueJourney } from './remaining.ts';
import { redirectWithError, renderLogin } from './render.ts';
import { type BrowserSession, isSessionLive, openSessionCookie } from './session.ts';

interface SessionAndConsent {
  session: BrowserSession | null;
  /** The scopes the session's user has allowed the client; null when not recorded or not needed. */
  consented: string[] | null;
  /** The user's second factors, read with the session's state when the second-factor step may need them. */
  factors?: MfaFacts;
}

/** The session's state, with its user's second factors in the same query when the step may look at them. */
async function readLiveSession(c: Context<AppEnv>, client: Client, request: AuthorizationRequest, claimed: BrowserSession) {
  if (!mayNeedSecondFactor(mfaPolicyFor(c.get('services').config, client), claimed.acr, request.acr ?? null)) return { live: await isSessionLive(c, claimed) };
  const { state, mfa } = await findSessionStateWithMfa(replicaReader(c.env.DB), claimed.idHash, nowSeconds(), claimed);
  return { live: state !== 'ended', factors: mfa };
}

/** The browser's session and, when the policy needs it, its user's recorded consent: replica reads in parallel. */
async function readSessionAndConsent(c: Context<AppEnv>, client: Client, request: AuthorizationRequest): Promise<SessionAndConsent> {
  const claimed = await openSessionCookie(c);
  if (!claimed) return { session: null, consented: null };
  const [{ live, factors }, consented] = await Promise.all([
    readLiveSession(c, client, request, claimed),
    usesRecordedConsent(client, request) ? findConsentedScopes(replicaReader(c.env.DB), claimed.userId, client.clientId) : null,
  ]);
  return live ? { session: claimed, consented, factors } : { session: null, consented: null };
}

/**
 * OIDC Core §3.1.2.1: prompt=login or select_account, max_age, and an id_token_hint naming another user ask
 * for a sign-in despite the session. Decided only here, when the request arrives: the later steps follow a
 * sign-in or this check, and checking again would loop when consent takes longer than max_age. auth_time has
 * whole seconds, so an age equal to max_age may be just over it, and max_age=0 always signs in again.
 */
function mustSignInAgain(request: AuthorizationRequest, session: BrowserSession, now: number): boolean {
  return (
    request.prompt.includes('login') ||
    request.prompt.includes('select_account') ||
    (request.maxAge !== null && now - session.authTime >= request.maxAge) ||
    (request.idTokenHintSub !== null && request.idTokenHintSub !== session.userId)
  );
}

/** A verified request: the sign-in page (login_required under prompt=none), or the remaining steps. */
export async function openJourney(c: Context<AppEnv>, client: Client, request: AuthorizationRequest): Promise<Response> {
  const { session, consented, factors } = await readSessionAndConsent(c, client, request);
  if (!session || mustSignInAgain(request, session, nowSeconds())) {
    if (request.prompt.includes('none')) return redirectWithError(c, request, new OAuthError('login_required', 'the user is not signed in'));
    // idp_hint naming an enabled provider goes straight there; any other value shows the sign-in page, as if absent.
    const hinted = request.idpHint ? await enabledProvider(c, request.idpHint) : null;
    if (hinted) return startUpstream(c, hinted, { request, consentSession: null }, null);
    return renderLogin(c, client, request);
  }
  return continueJourney(c, { client, request, session, consented, factors, signedInNow: false });
}
