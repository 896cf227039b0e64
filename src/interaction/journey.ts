// The journey's contracts: the state a signed-in request carries through the remaining steps, a step, a method.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import type { AuthorizationRequest } from '../oauth/authorize-request.ts';
import type { Client } from '../store/clients.ts';
import type { ConsentByUsername } from '../store/consents.ts';
import type { MfaFacts } from '../store/mfa-facts.ts';
import type { User } from '../store/users.ts';
import type { BrowserSession } from './session.ts';

/** A request whose user is signed in, on its way through the remaining steps to a code. */
export interface Journey {
  client: Client;
  request: AuthorizationRequest;
  session: BrowserSession;
  /** The user signed in during this request: signing in again cannot raise the acr (src/oauth/acr.ts). */
  signedInNow: boolean;
  /** The scopes the user has allowed the client, when read; null when not recorded or not needed. */
  consented: readonly string[] | null;
  /** The signed-in user, when this request has read it already (a sign-in just now); `user.mfa` its second factors. */
  user?: User;
  /** The user's second factors when read with the SSO session (src/interaction/open.ts): no round trip of their own. */
  factors?: MfaFacts;
  /** Known already (sealed into the second-factor page at the sign-in): the password-change step need not read the user. */
  passwordChangeRequired?: boolean;
}

/** A step after the first factor: a response pauses or ends the journey, null goes on to the next step. */
export interface RemainingStep {
  name: string;
  run(c: Context<AppEnv>, journey: Journey): Promise<Response | null>;
}

/**
 * A refused sign-in re-renders the form with 200 and the error in it: 401 would need a WWW-Authenticate
 * challenge (RFC 9110 §15.5.2) that a form cannot answer, and browsers log it as a failed load.
 */
export type SignInResult =
  /** `user`: the user the method loaded and checked, so the pages that follow need not read it again. */
  | { ok: true; session: BrowserSession; user?: User }
  /** `challenge`: show Turnstile's widget (past the per-address limit, src/guards/login-challenge.ts). */
  | { ok: false; username: string; error: string; status: 200 | 429; challenge?: boolean };

/** A first factor: verifies a posted form and starts the SSO session. */
export interface FirstFactorMethod {
  /** With `expectedUserId` (from an id_token_hint), only that user may sign in (OIDC Core §3.1.2.1). */
  signIn(c: Context<AppEnv>, form: URLSearchParams, clientId: string, expectedUserId: string | null): Promise<SignInResult>;
  /** The recorded consent of the user the form names, read alongside signIn so that no round trip follows it. */
  findRecordedConsent?(c: Context<AppEnv>, form: URLSearchParams, clientId: string): Promise<ConsentByUsername | null>;
}
