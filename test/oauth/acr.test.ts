import { describe, expect, it } from 'vitest';
import { authContextFor, checkAcr, parseAcrRequest, PASSWORD_AUTH, readAuthContext } from '../../src/oauth/acr.ts';
import { OAuthError } from '../../src/oauth/errors.ts';
import { oauthErrorCode } from '../helpers/errors.ts';

const claims = (acr: unknown) => JSON.stringify({ id_token: { acr } });

describe('authentication context', () => {
  it('a password sign-in is amr ["pwd"] at level 1; "mfa" among the methods is level 2', () => {
    expect(PASSWORD_AUTH).toEqual({ amr: ['pwd'], acr: '1' });
    expect(authContextFor(['pwd', 'otp', 'mfa'])).toEqual({ amr: ['pwd', 'otp', 'mfa'], acr: '2' });
  });

  it('reads a cookie sealed before amr and acr existed as a password sign-in', () => {
    expect(readAuthContext(undefined, undefined)).toEqual(PASSWORD_AUTH);
    expect(readAuthContext(['pwd', 1], '1')).toEqual(PASSWORD_AUTH);
    expect(readAuthContext(['pwd', 'otp', 'mfa'], '2')).toEqual({ amr: ['pwd', 'otp', 'mfa'], acr: '2' });
  });
});

describe('parseAcrRequest', () => {
  it('is null when nothing is asked about acr', () => {
    expect(parseAcrRequest(undefined, undefined)).toBeNull();
    expect(parseAcrRequest(undefined, JSON.stringify({ id_token: { email: null } }))).toBeNull();
    expect(parseAcrRequest(undefined, JSON.stringify({ userinfo: { acr: null } }))).toBeNull();
  });

  it('reads acr_values as voluntary, in order', () => {
    expect(parseAcrRequest('2  1', undefined)).toEqual({ values: ['2', '1'], essential: false });
  });

  it('reads an essential acr claim by value or values, ahead of acr_values', () => {
    expect(parseAcrRequest('1', claims({ essential: true, values: ['2'] }))).toEqual({ values: ['2'], essential: true });
    expect(parseAcrRequest(undefined, claims({ essential: true, value: '2' }))).toEqual({ values: ['2'], essential: true });
    expect(parseAcrRequest(undefined, claims(null))).toEqual({ values: [], essential: false });
    expect(parseAcrRequest('1', claims({ values: ['2'] }))).toEqual({ values: ['1', '2'], essential: false });
  });

  it.each([
    ['a string', 'x'],
    ['an array', ['2']],
    ['essential as a string', { essential: 'true' }],
    ['value as a number', { value: 2 }],
    ['values as a string', { values: '2' }],
  ])('refuses an acr claim that is %s with invalid_request', (_name, acr) => {
    expect(oauthErrorCode(() => parseAcrRequest(undefined, claims(acr)))).toBe('invalid_request');
  });
});

describe('checkAcr', () => {
  const code = (r: ReturnType<typeof checkAcr>) => (r instanceof OAuthError ? r.code : r);

  it('meets a level at or below the session level, and any level when no values are given', () => {
    expect(code(checkAcr(null, '1', false, true))).toBe('met');
    expect(code(checkAcr({ values: ['1'], essential: true }, '1', false, true))).toBe('met');
    expect(code(checkAcr({ values: ['1'], essential: true }, '2', false, true))).toBe('met');
    expect(code(checkAcr({ values: [], essential: true }, '1', false, true))).toBe('met');
  });

  it('answers a level the session cannot meet by the rules of docs/decisions.md', () => {
    const two = { values: ['2'], essential: true };
    expect(code(checkAcr(two, '1', false, true))).toBe('interaction_required');
    expect(code(checkAcr({ ...two, essential: false }, '1', false, true))).toBe('interaction_required');
    expect(code(checkAcr({ ...two, essential: false }, '1', false, false))).toBe('met');
    expect(code(checkAcr(two, '1', false, false))).toBe('sign-in');
    expect(code(checkAcr(two, '1', true, false))).toBe('unmet_authentication_requirements');
    expect(code(checkAcr({ values: ['urn:example:gold'], essential: true }, '2', true, false))).toBe('unmet_authentication_requirements');
  });
});
