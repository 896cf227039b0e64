// RFC 7591 §2 metadata rules as pure functions: defaults, what is kept, and the exact error for what is refused.
import { describe, expect, it } from 'vitest';
import { chooseAuthMethod } from '../../../src/oauth/registration/client-information.ts';
import { asMetadataObject } from '../../../src/oauth/registration/fields.ts';
import { readClientMetadata } from '../../../src/oauth/registration/metadata.ts';
import { replacementOf } from '../../../src/oauth/registration/update.ts';
import type { Registration } from '../../../src/store/registrations.ts';
import { oauthErrorCode } from '../../helpers/errors.ts';

const base = { redirect_uris: ['https://app.example/cb'] };

describe('readClientMetadata', () => {
  it('keeps only supported scopes, and all of them when none is named', () => {
    expect(readClientMetadata({ ...base, scope: 'openid mcp:tools profile email' }).scopes).toEqual(['openid', 'profile', 'email']);
    expect(readClientMetadata(base).scopes).toEqual(['openid', 'profile', 'email', 'offline_access']);
  });

  it('uses post_logout_redirect_uris and id_token_signed_response_alg, drops duplicate redirect URIs, trims the name', () => {
    const m = readClientMetadata({
      redirect_uris: ['https://app.example/cb', 'https://app.example/cb', 'com.example.app:/cb'], client_name: '  Notes  ',
      post_logout_redirect_uris: ['https://app.example/bye'], id_token_signed_response_alg: 'ES256',
    });
    expect(m).toMatchObject({
      name: 'Notes', redirectUris: ['https://app.example/cb', 'com.example.app:/cb'], postLogoutRedirectUris: ['https://app.example/bye'],
      idTokenSignedResponseAlg: 'ES256', tokenEndpointAuthMethod: null,
    });
  });

  it('keeps the display metadata it returns, and nothing unknown', () => {
    const m = readClientMetadata({ ...base, client_uri: 'https://app.example/', contacts: ['ops@app.example'], software_version: '1.2', tos_uri: 'https://x' });
    expect(m.extras).toEqual({ client_uri: 'https://app.example/', contacts: ['ops@app.example'], software_version: '1.2' });
  });

  it('treats null as omitted (RFC 7592 §2.2)', () => {
    expect(readClientMetadata({ ...base, client_name: null, grant_types: null, logo_uri: null })).toMatchObject({ name: 'Unnamed application', grantTypes: ['authorization_code'], extras: {} });
  });

  it.each([
    [{ ...base, client_name: 'x'.repeat(201) }, 'invalid_client_metadata'],
    [{ ...base, contacts: Array(6).fill('a@b.example') }, 'invalid_client_metadata'],
    [{ ...base, logo_uri: 'https://' }, 'invalid_client_metadata'],
    [{ ...base, client_uri: 'https://user:pw@app.example/' }, 'invalid_client_metadata'],
    [{ redirect_uris: ['https://app.example/cb\n'] }, 'invalid_redirect_uri'],
  ])('refuses %j with %s', (body, code) => {
    expect(oauthErrorCode(() => readClientMetadata(body))).toBe(code);
  });

  it('reads only objects', () => {
    for (const value of [null, [], 'x', 1]) expect(oauthErrorCode(() => asMetadataObject(value))).toBe('invalid_client_metadata');
  });
});

describe('chooseAuthMethod', () => {
  it('open: none, whether named or not; a confidential method is refused', () => {
    expect(chooseAuthMethod(null, false)).toBe('none');
    expect(chooseAuthMethod('none', false)).toBe('none');
    expect(oauthErrorCode(() => chooseAuthMethod('client_secret_post', false))).toBe('invalid_client_metadata');
  });

  it('token: RFC 7591 §2 default client_secret_basic, or what is named', () => {
    expect(chooseAuthMethod(null, true)).toBe('client_secret_basic');
    expect(chooseAuthMethod('none', true)).toBe('none');
  });
});

describe('replacementOf (RFC 7592 §2.2)', () => {
  const registration = { client: { tokenEndpointAuthMethod: 'none' } } as Registration;

  it('keeps the method when the update names none, and refuses another one', () => {
    expect(replacementOf(readClientMetadata(base), registration).redirectUris).toEqual(base.redirect_uris);
    expect(oauthErrorCode(() => replacementOf(readClientMetadata({ ...base, token_endpoint_auth_method: 'client_secret_basic' }), registration))).toBe('invalid_client_metadata');
  });
});
