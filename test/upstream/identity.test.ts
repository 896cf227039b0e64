// Claims mapping from upstream answers, distrusted by default, and the --allowed-domain rules (issue 15 §5).
import { describe, expect, it } from 'vitest';
import type { UpstreamProvider } from '../../src/store/upstream-providers.ts';
import { domainAllowed, identityFromClaims, identityFromGithub } from '../../src/upstream/identity.ts';
import { usernameBase, usernameCandidate } from '../../src/upstream/username.ts';

const provider = (over: Partial<UpstreamProvider> = {}): UpstreamProvider => ({
  name: 'up', kind: 'oidc', issuer: 'https://up.example', tenant: null, clientId: 'c', clientSecret: 'x', scopes: ['openid'],
  trustEmail: false, allowedDomains: [], enabled: true, keepTokens: false, createdAt: 0, updatedAt: 0, ...over,
});
const claims = { iss: 'https://up.example', sub: 's1', email: 'A@Example.com', email_verified: true, name: ' Ann ', picture: 'https://p.example/a.png', amr: ['pwd', 'mfa'] };

describe('identityFromClaims', () => {
  it('believes email_verified and amr only from a trusted provider', () => {
    expect(identityFromClaims(provider(), claims)).toMatchObject({ emailVerified: false, upstreamVerified: true, amr: [], name: 'Ann' });
    expect(identityFromClaims(provider({ trustEmail: true }), claims)).toMatchObject({ emailVerified: true, amr: ['pwd', 'mfa'] });
  });

  it('drops hostile values: non-https pictures, odd amr values (our idp: marker too), non-boolean email_verified, huge names', () => {
    const who = identityFromClaims(provider({ trustEmail: true }), {
      ...claims, picture: 'javascript:alert(1)', amr: ['idp:evil', 'PWD', 7, 'otp'], email_verified: 'true', name: 'x'.repeat(10_000),
    });
    expect(who).toMatchObject({ picture: null, amr: ['otp'], emailVerified: false });
    expect(who.name).toHaveLength(256);
    expect(identityFromClaims(provider(), { ...claims, email: 'not an email' }).email).toBeNull();
  });
});

describe('identityFromGithub', () => {
  it('takes the numeric id and the primary verified email, never an unverified one', () => {
    const p = provider({ kind: 'github', issuer: 'https://github.com', trustEmail: true });
    const who = identityFromGithub(p, { id: 7, login: 'octo', email: 'public@example.com' }, [
      { email: 'unverified@example.com', primary: true, verified: false }, { email: 'ok@example.com', primary: false, verified: true },
    ]);
    expect(who).toMatchObject({ issuer: 'https://github.com', subject: '7', email: 'ok@example.com', emailVerified: true, handle: 'octo' });
    expect(identityFromGithub(p, { id: 7, email: 'public@example.com' }, 'garbage')).toMatchObject({ email: 'public@example.com', emailVerified: false });
  });
});

describe('domainAllowed', () => {
  it("checks Google's hd, or the upstream-verified email domain", () => {
    const google = provider({ kind: 'google', allowedDomains: ['example.com'] });
    expect(domainAllowed(google, identityFromClaims(google, { ...claims, hd: 'example.com' }))).toBe(true);
    expect(domainAllowed(google, identityFromClaims(google, claims))).toBe(false);
    const oidc = provider({ allowedDomains: ['example.com'] });
    expect(domainAllowed(oidc, identityFromClaims(oidc, claims))).toBe(true);
    expect(domainAllowed(oidc, identityFromClaims(oidc, { ...claims, email_verified: false }))).toBe(false);
    expect(domainAllowed(provider(), identityFromClaims(provider(), { ...claims, email: undefined }))).toBe(true);
  });
});

describe('usernames', () => {
  it('folds the handle to a-z 0-9 . _ - and adds a random suffix when taken', () => {
    expect(usernameBase({ handle: "Zoë.O'Brien!" })).toBe('zoe.obrien');
    expect(usernameBase({ handle: '日本' })).toBe('user');
    expect(usernameCandidate('octo', 0)).toBe('octo');
    expect(usernameCandidate('octo', 1)).toMatch(/^octo-[a-z0-9]{6}$/);
  });
});
