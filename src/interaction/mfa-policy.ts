// Whether a sign-in needs a second factor now: the policy (deployment's, or the client's own) and acr "2" requests.
import type { Config } from '../config.ts';
import type { MfaPolicy } from '../constants.ts';
import { type AcrRequest, meetsAcr } from '../oauth/acr.ts';
import { OAuthError } from '../oauth/errors.ts';
import type { Client } from '../store/clients.ts';

/** The client's own policy (clients.mfa_policy) when it has one, else the deployment's MFA_POLICY. */
export function mfaPolicyFor(config: Pick<Config, 'mfaPolicy'>, client: Pick<Client, 'mfaPolicy'>): MfaPolicy {
  return client.mfaPolicy ?? config.mfaPolicy;
}

/** The request is met by acr "2" and not by "1": only a second factor can answer it (OIDC Core §3.1.2.1). */
export function asksForSecondFactor(acr: AcrRequest | null): boolean {
  return acr !== null && !meetsAcr(acr.values, '1') && meetsAcr(acr.values, '2');
}

/**
 * Whether the step must look at the user's factors at all: not for a session with two factors already (a
 * user-verified passkey, or a step-up), nor under policy off without a request for acr "2".
 */
export function mayNeedSecondFactor(policy: MfaPolicy, sessionAcr: string, acr: AcrRequest | null): boolean {
  return sessionAcr !== '2' && (policy !== 'off' || asksForSecondFactor(acr));
}

export interface SecondFactorSituation {
  policy: MfaPolicy;
  /** What the client asked about acr; null when nothing. */
  acr: AcrRequest | null;
  /** The user has at least one second factor (SECOND_FACTORS' isEnrolled). */
  enrolled: boolean;
  /** A valid remember-device cookie names the user: it satisfies the policy, never an acr "2" request. */
  remembered: boolean;
  promptNone: boolean;
}

/**
 * For a session with one factor (acr "1"): 'verify' asks for a factor the user has, 'enrol' adds one first,
 * null goes on. A request for acr "2" from a user with no factor is offered enrolment unless the policy is off,
 * where an essential one is unmet_authentication_requirements (OpenID Connect Unmet Authentication
 * Requirements 1.0 §2) and a voluntary one is answered at level "1". prompt=none can show neither page (§3.1.2.6).
 */
export function decideSecondFactor(s: SecondFactorSituation): 'verify' | 'enrol' | OAuthError | null {
  const wantsAcr2 = asksForSecondFactor(s.acr);
  const policyAsks = !s.remembered && (s.policy === 'required' || (s.policy === 'optional' && s.enrolled));
  const mustEnrol = !s.enrolled && (s.policy === 'required' || (wantsAcr2 && s.acr!.essential && s.policy === 'optional'));
  const need = s.enrolled && (wantsAcr2 || policyAsks) ? 'verify' : mustEnrol ? 'enrol' : null;
  if (need === null) {
    if (wantsAcr2 && s.acr!.essential && !s.enrolled) return new OAuthError('unmet_authentication_requirements', 'the user has no second factor');
    return null;
  }
  if (s.promptNone) return new OAuthError('interaction_required', 'a second factor is needed');
  return need;
}
