import { describe, expect, it } from 'vitest';
import { bearerChallenge, OAuthError, type OAuthErrorCode } from '../../src/oauth/errors.ts';

describe('OAuthError', () => {
  it.each<[OAuthErrorCode, number]>([
    ['invalid_request', 400],
    ['invalid_grant', 400],
    ['unsupported_grant_type', 400],
    ['invalid_scope', 400],
    ['invalid_client', 401],
    ['invalid_token', 401],
    ['insufficient_scope', 403],
    ['server_error', 500],
    ['temporarily_unavailable', 503],
  ])('answers %s with %i', async (code, status) => {
    const res = new OAuthError(code, 'x').getResponse();
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: code, error_description: 'x' });
  });

  it('renders no-store JSON', () => {
    const res = new OAuthError('invalid_request', 'x').getResponse();
    expect(res.headers.get('Content-Type')).toBe('application/json;charset=UTF-8');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('Pragma')).toBe('no-cache');
    expect(res.headers.get('WWW-Authenticate')).toBeNull();
  });

  it('adds the challenge it is given', () => {
    const res = new OAuthError('invalid_client', 'x').withChallenge('Basic realm="r"').getResponse();
    expect(res.headers.get('WWW-Authenticate')).toBe('Basic realm="r"');
  });

  it('keeps error_description to the characters RFC 6749 §5.2 allows', () => {
    const err = new OAuthError('invalid_request', 'bad "quote" \\ é\n\u0000');
    expect(err.description).toBe('bad ?quote? ? ???');
    expect(err.description).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/);
  });
});

describe('bearerChallenge', () => {
  it('names only the realm when there is no error', () => {
    expect(bearerChallenge('https://id.example.test')).toBe('Bearer realm="https://id.example.test"');
  });

  it('adds error and error_description (RFC 6750 §3)', () => {
    expect(bearerChallenge('r', new OAuthError('invalid_token', 'expired'))).toBe('Bearer realm="r", error="invalid_token", error_description="expired"');
  });
});
