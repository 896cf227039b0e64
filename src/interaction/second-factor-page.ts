// The second-factor page's state: which request, session and factors it offers, sealed with the factors' challenge.
import type { Context } from 'hono';
import { isAccountClient } from '../account/client.ts';
import { randomToken } from '../crypto/random.ts';
import type { AppEnv } from '../env.ts';
import type { AuthorizationRequest } from '../oauth/authorize-request.ts';
import type { OAuthError } from '../oauth/errors.ts';
import type { Client } from '../store/clients.ts';
import { replicaReader } from '../store/db.ts';
import { findMfaFacts, type MfaFacts } from '../store/mfa-facts.ts';
import { InterstitialPage, SecondFactorPage } from '../ui/second-factor.ts';
import type { Journey } from './journey.ts';
import { pageBase, redirectWithError, renderError } from './render.ts';
import { type Interstitial, SECOND_FACTORS, type SecondFactorMethod } from './second-factors.ts';
import { openPageEnvelope, sealPageEnvelope } from './transaction.ts';

// Distinct types, so neither form can be posted to the other's route, nor to /login or /consent.
const PAGE_TYP = 'second-factor+jwt';
const DONE_TYP = 'second-factor-done+jwt';
const CHALLENGE_BYTES = 32;

export type SecondFactorMode = 'verify' | 'enrol';

/** What the page's form carries back: the request, the session it was shown in, what it offered. */
export interface SecondFactorPageState {
  request: AuthorizationRequest;
  sessionIdHash: string;
  mode: SecondFactorMode;
  /** The names of the factors offered: only these are accepted. */
  factors: string[];
  challenge: string;
  /** Whether the password-change step will ask for a new password, as known at the sign-in; absent when not known. */
  passwordChangeRequired?: boolean;
}

/** The journey a page is shown in: its user and signedInNow say what the password-change step after it will need. */
export type PageJourney = Pick<Journey, 'client' | 'request' | 'session'> & Partial<Pick<Journey, 'signedInNow' | 'user' | 'factors' | 'passwordChangeRequired'>>;

/**
 * Sealed into the page, so that no read of the user follows the factor (sign-in budget): the step asks at a
 * first-factor sign-in only (steps/password-change.ts), and the sign-in read the user's flag with the user.
 */
function knownPasswordChange(j: PageJourney): boolean | undefined {
  if (j.passwordChangeRequired !== undefined) return j.passwordChangeRequired;
  return j.signedInNow ? j.user?.passwordChangeRequired : false;
}

const pwcOf = (claim: unknown) => (typeof claim === 'boolean' ? claim : undefined);

/**
 * The factors the user has. `known` are the facts the request read with the user or the session; without them they
 * are read here, once for every built-in factor. A factor outside them reads in parallel (replica or Durable Object).
 */
export async function enrolledFactors(c: Context<AppEnv>, userId: string, known?: MfaFacts): Promise<SecondFactorMethod[]> {
  const all = Object.values(SECOND_FACTORS);
  const facts = known ?? (await findMfaFacts(replicaReader(c.env.DB), userId));
  const has = await Promise.all(all.map((f) => f.isEnrolled(c, userId, facts)));
  return all.filter((_, i) => has[i]);
}

export function enrollableFactors(): SecondFactorMethod[] {
  return Object.values(SECOND_FACTORS).filter((f) => f.enrolment);
}

/** The offered factor the form names (own properties only), or null. */
export function offeredFactor(state: SecondFactorPageState, name: string | null): SecondFactorMethod | null {
  return name !== null && state.factors.includes(name) && Object.hasOwn(SECOND_FACTORS, name) ? SECOND_FACTORS[name]! : null;
}

/**
 * Renders the page with a fresh challenge; a refused check shows a new one too (a factor claims each once), but a
 * refused enrolment keeps its own (`challenge`): a TOTP key derived from it must stay the one the user scanned.
 */
export async function showSecondFactorPage(
  c: Context<AppEnv>,
  journey: PageJourney,
  mode: SecondFactorMode,
  factors: SecondFactorMethod[],
  refusal: { error: string; status: 200 | 429; challenge?: string } | null = null,
): Promise<Response> {
  const { client, request, session } = journey;
  const ctx = { userId: session.userId, clientId: client.clientId, challenge: refusal?.challenge ?? randomToken(CHALLENGE_BYTES), facts: journey.factors ?? journey.user?.mfa };
  const bodies = await Promise.all(factors.map((f) => (mode === 'enrol' ? f.enrolment!.render(c, ctx) : f.render(c, ctx))));
  const state = { tx: request, sid: session.idHash, mode, f: factors.map((f) => f.name), ch: ctx.challenge, pwc: knownPasswordChange(journey) };
  const transaction = await sealPageEnvelope(c, PAGE_TYP, state);
  const { config } = c.get('services');
  c.status(refusal?.status ?? 200);
  return c.html(SecondFactorPage({
    ...pageBase(c), clientName: client.name, mode, transaction, error: refusal?.error ?? null, rememberDays: config.rememberDeviceDays,
    factors: factors.map((f, i) => ({ name: f.name, body: bodies[i]! })),
  }));
}

export async function openSecondFactorPage(c: Context<AppEnv>, token: string | null): Promise<SecondFactorPageState | null> {
  const claims = await openPageEnvelope(c, PAGE_TYP, token);
  if (!claims || typeof claims.sid !== 'string' || typeof claims.ch !== 'string' || !Array.isArray(claims.f)) return null;
  const mode = claims.mode === 'enrol' ? 'enrol' : 'verify';
  const passwordChangeRequired = pwcOf(claims.pwc);
  return { request: claims.tx as AuthorizationRequest, sessionIdHash: claims.sid, mode, factors: claims.f as string[], challenge: claims.ch, passwordChangeRequired };
}

/** What a factor shows once (recovery codes, codes remaining), with a Continue form bound to the raised session. */
export async function showInterstitial(c: Context<AppEnv>, journey: PageJourney, interstitial: Interstitial) {
  const transaction = await sealPageEnvelope(c, DONE_TYP, { tx: journey.request, sid: journey.session.idHash, pwc: knownPasswordChange(journey) });
  return c.html(InterstitialPage({ ...pageBase(c), interstitial, transaction }));
}

export async function openInterstitial(c: Context<AppEnv>, token: string | null): Promise<Pick<SecondFactorPageState, 'request' | 'sessionIdHash' | 'passwordChangeRequired'> | null> {
  const claims = await openPageEnvelope(c, DONE_TYP, token);
  if (!claims || typeof claims.sid !== 'string') return null;
  return { request: claims.tx as AuthorizationRequest, sessionIdHash: claims.sid, passwordChangeRequired: pwcOf(claims.pwc) };
}

/** An error for the client; the account page is its own client, and redirecting it to itself would loop. */
export function refuseSecondFactor(c: Context<AppEnv>, client: Client, request: AuthorizationRequest, error: OAuthError) {
  if (isAccountClient(client.clientId)) return renderError(c, 403, 'twoStepUnavailable', 'twoStepUnavailableText');
  return redirectWithError(c, request, error);
}
