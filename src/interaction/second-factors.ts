// The second factors a signed-in user may add to a first factor (issue 13): the table and the contract each
// factor meets. A new factor is one file and one line in SECOND_FACTORS.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import type { MfaFacts } from '../store/mfa-facts.ts';
import type { Html } from '../ui/layout.ts';
import { recoveryFactor } from './factors/recovery.ts';
import { totpFactor } from './factors/totp.ts';
import { passkeyFactor } from './passkey/second-factor.ts';

/** What a second-factor page knows when it offers a factor and when it checks one. */
export interface SecondFactorContext {
  userId: string;
  clientId: string;
  /**
   * A random value (base64url, 32 bytes) made when the page was rendered and sealed into the page's transaction:
   * a WebAuthn challenge, bound to this transaction; single use is the factor's own claim (src/store/single-use.ts).
   */
  challenge: string;
  /** The user's second factors when the request read them with the user or session (a page may show them unread). */
  facts?: MfaFacts;
}

/** What the step shows once before it goes on: recovery codes after an enrolment, or how many remain after a use. */
export interface Interstitial {
  title: string;
  message: string;
  codes?: string[];
}

export type SecondFactorResult =
  | { ok: true; interstitial?: Interstitial }
  /** A refusal re-shows the page with this message: 429 when throttled. */
  | { ok: false; error: string; status: 200 | 429 };

/** Enrolment during sign-in, for a user the policy requires a second factor of and who has none yet. */
export interface SecondFactorEnrolment {
  /** Its part of the enrolment page: fields or a button inside a form that posts `factor=<name>`. */
  render(c: Context<AppEnv>, ctx: SecondFactorContext): Promise<Html>;
  /** Checks what the form posted and stores the new factor; its interstitial shows e.g. the new recovery codes. */
  complete(c: Context<AppEnv>, form: URLSearchParams, ctx: SecondFactorContext): Promise<SecondFactorResult>;
}

export interface SecondFactorMethod {
  /** The value a form posts in its `factor` field. */
  name: string;
  /** RFC 8176 values it adds to the first factor's amr; the step adds "mfa" (src/oauth/acr.ts). */
  amr: readonly string[];
  /**
   * Whether the user has this factor now; replica reads or Durable Objects only (sign-in budget). `facts` are what
   * the request read with the user or the session (src/store/mfa-facts.ts): a factor among them answers from them,
   * with no round trip of its own; without them it reads (src/interaction/second-factor-page.ts reads them once).
   */
  isEnrolled(c: Context<AppEnv>, userId: string, facts?: MfaFacts): Promise<boolean>;
  /** Its part of the second-factor page: fields or a button inside a form that posts `factor=<name>`. */
  render(c: Context<AppEnv>, ctx: SecondFactorContext): Promise<Html>;
  /** Checks the posted form: only this user's credentials count. */
  verify(c: Context<AppEnv>, form: URLSearchParams, ctx: SecondFactorContext): Promise<SecondFactorResult>;
  /** Absent when the factor cannot be enrolled during sign-in (recovery codes come with another factor). */
  enrolment?: SecondFactorEnrolment;
}

/** By the name a form posts in its `factor` field, in the order the page offers them. */
export const SECOND_FACTORS: Record<string, SecondFactorMethod> = {
  passkey: passkeyFactor,
  totp: totpFactor,
  recovery: recoveryFactor,
};
