import { describe, expect, it } from 'vitest';
import type { Bindings } from '../src/bindings.ts';
import { ConfigError, readConfig } from '../src/config.ts';
import { thrownBy } from './helpers/errors.ts';

function bindings(vars: Partial<Bindings> = {}): Bindings {
  return { ISSUER: 'https://id.example.test', SIGNING_KEYS: '', PASSWORD_PEPPER: '', SESSION_SECRET: '', ...vars } as Bindings;
}

function errorOf(vars: Partial<Bindings>): Error | null {
  return thrownBy(() => readConfig(bindings(vars)));
}

describe('readConfig', () => {
  it('applies the defaults', () => {
    const config = readConfig(bindings());
    expect(config).toMatchObject({
      issuer: 'https://id.example.test', accessTokenTtlSeconds: 3600, idTokenTtlSeconds: 3600, sessionTtlSeconds: 86_400,
      accessTokenSigningAlg: 'ES256', secureCookies: true, devMode: false,
      branding: { productName: 'edge-oidc', logoUrl: null, accentColor: '#2563eb' },
    });
  });

  it('drops trailing slashes from the issuer', () => {
    expect(readConfig(bindings({ ISSUER: 'https://id.example.test/' })).issuer).toBe('https://id.example.test');
    expect(readConfig(bindings({ ISSUER: 'https://example.com/tenant/' })).issuer).toBe('https://example.com/tenant');
  });

  it.each(['http://localhost:8787', 'http://127.0.0.1:8787', 'http://[::1]:8787'])('allows http for the loopback issuer %s, without secure cookies', (issuer) => {
    const config = readConfig(bindings({ ISSUER: issuer }));
    expect(config.issuer).toBe(issuer);
    expect(config.secureCookies).toBe(false);
  });

  it.each([
    ['missing', '', /not set/],
    ['relative', '/issuer', /absolute URL/],
    ['plain http', 'http://id.example.test', /https/],
    ['http to a lookalike of localhost', 'http://localhost.example.test', /https/],
    ['another scheme', 'ftp://id.example.test', /https/],
    ['with a query', 'https://id.example.test?x=1', /query or fragment/],
    ['with a fragment', 'https://id.example.test#x', /query or fragment/],
    ['with an empty query', 'https://id.example.test?', /query or fragment/],
    ['with an empty fragment', 'https://id.example.test/#', /query or fragment/],
  ])('refuses an issuer that is %s', (_, issuer, message) => {
    const err = errorOf({ ISSUER: issuer });
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.message).toMatch(message);
  });

  it.each(['abc', '59', '0', '-60', '1.5', '31536001'])('refuses a TTL of %j', (value) => {
    for (const name of ['ACCESS_TOKEN_TTL_SECONDS', 'ID_TOKEN_TTL_SECONDS', 'SESSION_TTL_SECONDS'] as const) {
      const err = errorOf({ [name]: value });
      expect(err).toBeInstanceOf(ConfigError);
      expect(err!.message).toContain(name);
    }
  });

  it('accepts TTLs at the bounds', () => {
    expect(readConfig(bindings({ ACCESS_TOKEN_TTL_SECONDS: '60' })).accessTokenTtlSeconds).toBe(60);
    expect(readConfig(bindings({ SESSION_TTL_SECONDS: '31536000' })).sessionTtlSeconds).toBe(31_536_000);
  });

  it.each(['HS256', 'none', 'rs256', 'PS256'])('refuses ACCESS_TOKEN_SIGNING_ALG=%s', (alg) => {
    expect(errorOf({ ACCESS_TOKEN_SIGNING_ALG: alg })).toBeInstanceOf(ConfigError);
  });

  it('accepts RS256 access tokens', () => {
    expect(readConfig(bindings({ ACCESS_TOKEN_SIGNING_ALG: 'RS256' })).accessTokenSigningAlg).toBe('RS256');
  });

  it.each(['blue', '#12345', '#1234567', '2563eb', '#25636g', '#fff;}body{display:none'])('refuses the accent colour %j', (colour) => {
    const err = errorOf({ BRAND_ACCENT_COLOR: colour });
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.message).toContain('BRAND_ACCENT_COLOR');
  });

  it.each(['#fff', '#2563EB'])('accepts the accent colour %s', (colour) => {
    expect(readConfig(bindings({ BRAND_ACCENT_COLOR: colour })).branding.accentColor).toBe(colour);
  });

  it.each(['http://cdn.example.com/logo.png', 'javascript:alert(1)', 'data:image/png;base64,AAAA'])('refuses the logo URL %s', (logo) => {
    expect(errorOf({ BRAND_LOGO_URL: logo })).toBeInstanceOf(ConfigError);
  });

  it.each(['https://cdn.example.com/logo.png', '/assets/logo.png'])('accepts the logo URL %s', (logo) => {
    expect(readConfig(bindings({ BRAND_LOGO_URL: logo })).branding.logoUrl).toBe(logo);
  });

  it('turns on dev mode only for the exact string true', () => {
    expect(readConfig(bindings({ DEV_MODE: 'true' })).devMode).toBe(true);
    expect(readConfig(bindings({ DEV_MODE: '1' })).devMode).toBe(false);
    expect(readConfig(bindings({ DEV_MODE: 'TRUE' })).devMode).toBe(false);
  });

  it('reads MFA_POLICY (optional when unset) and refuses anything but off, optional or required', () => {
    expect(readConfig(bindings({})).mfaPolicy).toBe('optional');
    for (const policy of ['off', 'optional', 'required'] as const) expect(readConfig(bindings({ MFA_POLICY: policy })).mfaPolicy).toBe(policy);
    for (const policy of ['OFF', 'sometimes', ' required']) expect(errorOf({ MFA_POLICY: policy })).toBeInstanceOf(ConfigError);
  });

  it('reads MFA_REMEMBER_DEVICE_DAYS: 0 (off) when unset, at most 365', () => {
    expect(readConfig(bindings({})).rememberDeviceDays).toBe(0);
    expect(readConfig(bindings({ MFA_REMEMBER_DEVICE_DAYS: '30' })).rememberDeviceDays).toBe(30);
    for (const days of ['366', '-1', '1.5']) expect(errorOf({ MFA_REMEMBER_DEVICE_DAYS: days })).toBeInstanceOf(ConfigError);
  });
});

describe('readConfig: loosely written values', () => {
  it('refuses numbers that are not plain decimal digits', () => {
    for (const value of ['0x100', '1e3', '3600.0', ' 3600', '+3600']) {
      expect(() => readConfig(bindings({ ACCESS_TOKEN_TTL_SECONDS: value })), value).toThrow(ConfigError);
      expect(() => readConfig(bindings({ LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: value })), value).toThrow(ConfigError);
    }
  });

  it('refuses a protocol-relative logo URL (another origin without a scheme)', () => {
    expect(() => readConfig(bindings({ BRAND_LOGO_URL: '//evil.example/x.png' }))).toThrow(ConfigError);
    expect(readConfig(bindings({ BRAND_LOGO_URL: '/logo.svg' })).branding.logoUrl).toBe('/logo.svg');
  });
});

describe('readConfig: ALLOWED_RESOURCES (RFC 8707)', () => {
  it('defaults to none, and reads absolute URIs separated by spaces or newlines', () => {
    expect(readConfig(bindings()).allowedResources).toEqual([]);
    expect(readConfig(bindings({ ALLOWED_RESOURCES: ' https://a.example/mcp\n urn:x  https://a.example/mcp ' })).allowedResources)
      .toEqual(['https://a.example/mcp', 'urn:x']);
  });

  it.each(['https://a.example/#frag', '/relative', 'a.example'])('refuses %s', (value) => {
    expect(errorOf({ ALLOWED_RESOURCES: `https://ok.example ${value}` })).toBeInstanceOf(ConfigError);
  });
});

describe('readConfig: client registration (RFC 7591)', () => {
  it('is closed by default, with 10 registrations per address and a 7-day expiry of unused clients', () => {
    expect(readConfig(bindings()).registration).toEqual({ policy: 'closed', maxPerIp: 10, unusedClientDays: 7 });
  });

  it('reads the policy and its limits', () => {
    const config = readConfig(bindings({ CLIENT_REGISTRATION: 'open', REGISTRATION_MAX_PER_IP: '3', REGISTRATION_UNUSED_CLIENT_DAYS: '30' }));
    expect(config.registration).toEqual({ policy: 'open', maxPerIp: 3, unusedClientDays: 30 });
    expect(readConfig(bindings({ CLIENT_REGISTRATION: 'token' })).registration.policy).toBe('token');
  });

  it.each(['Open', 'public', 'true', ' open'])('refuses CLIENT_REGISTRATION=%s', (value) => {
    expect(errorOf({ CLIENT_REGISTRATION: value })).toBeInstanceOf(ConfigError);
  });

  it('refuses a zero limit and a zero expiry', () => {
    expect(errorOf({ REGISTRATION_MAX_PER_IP: '0' })).toBeInstanceOf(ConfigError);
    expect(errorOf({ REGISTRATION_UNUSED_CLIENT_DAYS: '0' })).toBeInstanceOf(ConfigError);
  });
});
