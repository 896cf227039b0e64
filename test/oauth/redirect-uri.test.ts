import { describe, expect, it } from 'vitest';
import { checkRedirectUriForRegistration, isClientRedirectUri, isRegisteredRedirectUri } from '../../src/oauth/redirect-uri.ts';

describe('checkRedirectUriForRegistration', () => {
  it.each([
    'https://app.example.com/cb',
    'https://app.example.com/cb?tenant=1',
    'https://app.example.com:8443/cb',
    'http://localhost/cb',
    'http://localhost:3000/cb',
    'http://127.0.0.1:8080/cb',
    'http://[::1]/cb',
    'http://[::1]:9000/cb',
    'com.example.app:/cb',
    'com.example.app:/oauth2redirect',
    'com.example.app://cb',
  ])('accepts %s', (uri) => {
    expect(checkRedirectUriForRegistration(uri)).toBeNull();
  });

  it.each([
    ['plain http to a public host', 'http://example.com/cb', 'must use https'],
    ['http to a lookalike of localhost', 'http://localhost.example.com/cb', 'must use https'],
    ['a fragment', 'https://app.example.com/cb#x', 'fragment'],
    ['an empty fragment', 'https://app.example.com/cb#', 'fragment'],
    ['a wildcard host', 'https://*.example.com/cb', 'wildcard'],
    ['a wildcard path', 'https://app.example.com/*', 'wildcard'],
    ['a relative path', '/cb', 'absolute'],
    ['a scheme-relative URI', '//app.example.com/cb', 'absolute'],
    ['javascript:', 'javascript:alert(1)', 'must use https'],
    ['data:', 'data:text/html,hi', 'must use https'],
    ['file:', 'file:///etc/passwd', 'must use https'],
    ['a scheme without a dot', 'myapp:/cb', 'must use https'],
    ['user and password', 'https://user:pass@app.example.com/cb', 'credentials'],
    ['a user name', 'https://user@app.example.com/cb', 'credentials'],
    ['whitespace', 'https://app.example.com/c b', 'whitespace'],
    ['a newline', 'https://app.example.com/cb\n', 'whitespace'],
    ['a control character', 'https://app.example.com/cb\u0000', 'whitespace'],
    ['an empty string', '', 'absolute'],
    ['more than 2000 characters', `https://app.example.com/${'a'.repeat(2000)}`, 'too long'],
  ])('refuses %s', (_, uri, reason) => {
    expect(checkRedirectUriForRegistration(uri)).toContain(reason);
  });
});

describe('isRegisteredRedirectUri', () => {
  const registered = ['https://app.example.com/cb', 'com.example.app:/cb'];

  it('matches an exact string', () => {
    expect(isRegisteredRedirectUri(registered, 'https://app.example.com/cb')).toBe(true);
    expect(isRegisteredRedirectUri(registered, 'com.example.app:/cb')).toBe(true);
  });

  it.each([
    'https://app.example.com/cb/',
    'https://APP.example.com/cb',
    'https://app.example.com/c%62',
    'https://app.example.com:443/cb',
    'https://app.example.com/cb?',
    'https://app.example.com/cb#',
    'https://app.example.com/CB',
    'https://app.example.com/cb ',
    'https://app.example.com',
    '',
  ])('does not normalise %j', (presented) => {
    expect(isRegisteredRedirectUri(registered, presented)).toBe(false);
  });

  it('matches nothing against an empty registration', () => {
    expect(isRegisteredRedirectUri([], 'https://app.example.com/cb')).toBe(false);
  });
});

describe('isClientRedirectUri: loopback ports (RFC 8252 §7.3)', () => {
  const registered = ['http://127.0.0.1/cb', 'http://[::1]:8080/cb?x=1', 'http://localhost/cb', 'https://app.example.com/cb'];
  const publicClient = { redirectUris: registered, tokenEndpointAuthMethod: 'none' as const };
  const confidential = { redirectUris: registered, tokenEndpointAuthMethod: 'client_secret_basic' as const };

  it.each([
    'http://127.0.0.1:51234/cb',
    'http://127.0.0.1/cb',
    'http://[::1]/cb?x=1',
    'http://[::1]:1/cb?x=1',
    'http://localhost:3000/cb',
    'https://app.example.com/cb',
  ])('lets a public client use %s', (presented) => {
    expect(isClientRedirectUri(publicClient, presented)).toBe(true);
  });

  it.each([
    'http://127.0.0.1:51234/cb/',
    'http://127.0.0.1:51234/cb?x=1',
    'http://127.0.0.1:51234/other',
    'http://127.0.0.1:99999/cb',
    'http://127.0.0.1:51234@evil.example/cb',
    'http://127.0.0.1:51234#/cb',
    'http://localhost:3000/cb#x',
    'http://[::1]:8080/cb',
    'http://localhost:3000/CB',
    'http://127.0.0.2:51234/cb',
    'https://127.0.0.1:51234/cb',
    'https://app.example.com:8443/cb',
    'http://localhost.evil.example:3000/cb',
  ])('refuses a public client %s', (presented) => {
    expect(isClientRedirectUri(publicClient, presented)).toBe(false);
  });

  it('keeps the exact match for confidential clients', () => {
    expect(isClientRedirectUri(confidential, 'http://127.0.0.1/cb')).toBe(true);
    expect(isClientRedirectUri(confidential, 'http://127.0.0.1:51234/cb')).toBe(false);
    expect(isClientRedirectUri(confidential, 'http://localhost:3000/cb')).toBe(false);
  });
});
