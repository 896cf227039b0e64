import { describe, expect, it } from 'vitest';
import { grantScopes, parseScope } from '../../src/oauth/scopes.ts';
import { oauthErrorCode } from '../helpers/errors.ts';

describe('parseScope', () => {
  it('splits on spaces, drops empty tokens and duplicates, keeps order', () => {
    expect(parseScope('openid  email openid profile ')).toEqual(['openid', 'email', 'profile']);
  });

  it('returns nothing for no scope', () => {
    expect(parseScope(undefined)).toEqual([]);
  });

  it('is case-sensitive (RFC 6749 §3.3)', () => {
    expect(parseScope('OpenID openid')).toEqual(['OpenID', 'openid']);
  });

  it.each(['openid "email"', 'openid back\\slash', 'openid\ttab', 'openid é'])('refuses %j with invalid_scope', (scope) => {
    expect(oauthErrorCode(() => parseScope(scope))).toBe('invalid_scope');
  });
});

describe('grantScopes', () => {
  const allowed = ['openid', 'profile', 'email'];

  it('grants a plain OAuth request without openid, and none for no scope at all (docs/decisions.md)', () => {
    expect(grantScopes(['profile', 'email'], allowed)).toEqual(['profile', 'email']);
    expect(grantScopes(['OpenID'], allowed)).toEqual([]);
    expect(grantScopes([], allowed)).toEqual([]);
  });

  it('keeps the supported scopes the client may request', () => {
    expect(grantScopes(['openid', 'profile', 'email'], allowed)).toEqual(['openid', 'profile', 'email']);
  });

  it('drops unknown scopes and scopes the client may not request', () => {
    expect(grantScopes(['openid', 'phone', 'admin', 'email'], ['openid', 'phone', 'admin'])).toEqual(['openid']);
  });

  it('grants openid even when the client registration does not list it', () => {
    expect(grantScopes(['openid', 'email'], ['email'])).toEqual(['openid', 'email']);
  });
});
