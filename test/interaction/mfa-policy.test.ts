// decideSecondFactor: every combination of policy, acr request, enrolment, remember-device and prompt=none.
import { describe, expect, it } from 'vitest';
import { asksForSecondFactor, decideSecondFactor, mfaPolicyFor, type SecondFactorSituation } from '../../src/interaction/mfa-policy.ts';
import type { AcrRequest } from '../../src/oauth/acr.ts';
import { OAuthError } from '../../src/oauth/errors.ts';

const voluntary2: AcrRequest = { values: ['2'], essential: false };
const essential2: AcrRequest = { values: ['2'], essential: true };
const base: SecondFactorSituation = { policy: 'optional', acr: null, enrolled: false, remembered: false, promptNone: false };

function decide(s: Partial<SecondFactorSituation>) {
  const answer = decideSecondFactor({ ...base, ...s });
  return answer instanceof OAuthError ? answer.code : answer;
}

describe('mfaPolicyFor', () => {
  it('takes the client\'s own policy, else the deployment\'s', () => {
    expect(mfaPolicyFor({ mfaPolicy: 'optional' }, { mfaPolicy: 'off' })).toBe('off');
    expect(mfaPolicyFor({ mfaPolicy: 'required' }, { mfaPolicy: null })).toBe('required');
  });
});

describe('asksForSecondFactor', () => {
  it('is true only when "2" meets the request and "1" does not', () => {
    expect(asksForSecondFactor(null)).toBe(false);
    expect(asksForSecondFactor(voluntary2)).toBe(true);
    expect(asksForSecondFactor({ values: ['1', '2'], essential: true })).toBe(false);
    expect(asksForSecondFactor({ values: [], essential: true })).toBe(false);
    expect(asksForSecondFactor({ values: ['urn:example:gold'], essential: true })).toBe(false);
  });
});

describe('decideSecondFactor', () => {
  it('off: nothing unless acr 2 is asked; then verify, or unmet for an essential request without a factor', () => {
    expect(decide({ policy: 'off', enrolled: true })).toBeNull();
    expect(decide({ policy: 'off', enrolled: true, acr: voluntary2 })).toBe('verify');
    expect(decide({ policy: 'off', acr: voluntary2 })).toBeNull();
    expect(decide({ policy: 'off', acr: essential2 })).toBe('unmet_authentication_requirements');
  });

  it('optional: verify for users with a factor, enrolment only for an essential acr 2', () => {
    expect(decide({ enrolled: true })).toBe('verify');
    expect(decide({})).toBeNull();
    expect(decide({ acr: voluntary2 })).toBeNull();
    expect(decide({ acr: essential2 })).toBe('enrol');
  });

  it('required: verify, or enrol a user without a factor', () => {
    expect(decide({ policy: 'required', enrolled: true })).toBe('verify');
    expect(decide({ policy: 'required' })).toBe('enrol');
  });

  it('remember-device spares the policy, never an acr 2 request', () => {
    expect(decide({ enrolled: true, remembered: true })).toBeNull();
    expect(decide({ policy: 'required', enrolled: true, remembered: true })).toBeNull();
    expect(decide({ enrolled: true, remembered: true, acr: voluntary2 })).toBe('verify');
  });

  it('prompt=none: interaction_required wherever a page would be shown', () => {
    expect(decide({ enrolled: true, promptNone: true })).toBe('interaction_required');
    expect(decide({ policy: 'required', promptNone: true })).toBe('interaction_required');
    expect(decide({ acr: essential2, promptNone: true })).toBe('interaction_required');
    expect(decide({ promptNone: true })).toBeNull();
  });
});
