import { describe, expect, it } from 'vitest';
import { buildRedirectUrl } from '../../src/oauth/respond.ts';

describe('buildRedirectUrl', () => {
  it('keeps the registered redirect URI byte for byte, adding the response parameters to its query', () => {
    expect(buildRedirectUrl('https://App.Example.com/a/../cb', { code: 'c', state: null })).toBe('https://App.Example.com/a/../cb?code=c');
    expect(buildRedirectUrl('https://app.example.com/cb?tenant=1', { code: 'c' })).toBe('https://app.example.com/cb?tenant=1&code=c');
    expect(buildRedirectUrl('https://app.example.com/cb?', { code: 'c' })).toBe('https://app.example.com/cb?code=c');
    expect(buildRedirectUrl('com.example.app:/oauth', { code: 'a b', state: 'x&y=z' })).toBe('com.example.app:/oauth?code=a+b&state=x%26y%3Dz');
  });

  it('adds nothing when every value is null', () => {
    expect(buildRedirectUrl('https://app.example.com/cb', { state: null })).toBe('https://app.example.com/cb');
  });
});
