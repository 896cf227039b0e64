import { describe, expect, it } from 'vitest';
import { hashClientSecret } from '../../src/crypto/digest.ts';
import { authenticateClient, readClientCredentials, type ClientCredentials } from '../../src/oauth/client-auth.ts';
import { RequestParams } from '../../src/oauth/params.ts';
import type { Client, TokenEndpointAuthMethod } from '../../src/store/clients.ts';
import { asyncOAuthErrorOf, oauthErrorOf } from '../helpers/errors.ts';

function params(values: Record<string, string>): RequestParams {
  return new RequestParams(new URLSearchParams(values));
}

function basicOf(raw: string): string {
  return `Basic ${btoa(raw)}`;
}

async function clientOf(method: TokenEndpointAuthMethod, secret: string | null): Promise<Client> {
  return {
    clientId: 'c1', secretHash: secret === null ? null : await hashClientSecret(secret), name: 'C', tokenEndpointAuthMethod: method,
    grantTypes: ['authorization_code'], scopes: ['openid'], redirectUris: ['https://app.example.com/cb'], postLogoutRedirectUris: [],
    idTokenSignedResponseAlg: 'RS256', audience: null, resources: [], firstParty: true, registeredBy: 'admin', mfaPolicy: null, createdAt: 0, updatedAt: 0,
  };
}

describe('readClientCredentials', () => {
  it('reads client_secret_basic, form-url-decoding id and secret (RFC 6749 §2.3.1)', () => {
    const header = basicOf(`${encodeURIComponent('my:client id')}:${encodeURIComponent('s3:cr%t ')}`);
    expect(readClientCredentials(header, params({}))).toEqual({ clientId: 'my:client id', secret: 's3:cr%t ', method: 'client_secret_basic' });
  });

  it('decodes "+" as a space in Basic credentials', () => {
    expect(readClientCredentials(basicOf('a+b:c+d'), params({}))).toMatchObject({ clientId: 'a b', secret: 'c d' });
  });

  it('splits Basic credentials at the first colon only', () => {
    expect(readClientCredentials(basicOf('id:se:cret'), params({}))).toMatchObject({ clientId: 'id', secret: 'se:cret' });
  });

  it('accepts a UTF-8 secret in Basic credentials', () => {
    const raw = new TextEncoder().encode('id:pässwörd');
    const header = `Basic ${btoa(String.fromCharCode(...raw))}`;
    expect(readClientCredentials(header, params({}))).toMatchObject({ secret: 'pässwörd' });
  });

  it('reads client_secret_post', () => {
    expect(readClientCredentials(undefined, params({ client_id: 'c', client_secret: 's' }))).toEqual({ clientId: 'c', secret: 's', method: 'client_secret_post' });
  });

  it('reads a public client from client_id alone', () => {
    expect(readClientCredentials(undefined, params({ client_id: 'c' }))).toEqual({ clientId: 'c', secret: null, method: 'none' });
  });

  it.each<[string, string | undefined, Record<string, string>, string, number]>([
    ['no credentials at all', undefined, {}, 'invalid_client', 401],
    ['Basic plus client_secret', basicOf('c:s'), { client_secret: 's' }, 'invalid_request', 400],
    ['Basic plus a different client_id', basicOf('c:s'), { client_id: 'other' }, 'invalid_request', 400],
    ['another scheme', 'Bearer x', { client_id: 'c' }, 'invalid_request', 400],
    ['invalid base64', 'Basic ***', {}, 'invalid_client', 401],
    ['no colon', basicOf('c'), {}, 'invalid_client', 401],
    ['bad percent-encoding', basicOf('c%:s'), {}, 'invalid_client', 401],
    ['an empty id', basicOf(':s'), {}, 'invalid_client', 401],
  ])('refuses %s', (_, header, body, code, status) => {
    const err = oauthErrorOf(() => readClientCredentials(header, params(body)));
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
  });

  it('sends a Basic challenge with invalid_client', () => {
    const err = oauthErrorOf(() => readClientCredentials(undefined, params({})));
    expect(err.getResponse().headers.get('WWW-Authenticate')).toMatch(/^Basic realm="/);
  });

  it('refuses a repeated client_id', () => {
    const repeated = new RequestParams(new URLSearchParams('client_id=a&client_id=a'));
    expect(oauthErrorOf(() => readClientCredentials(undefined, repeated)).code).toBe('invalid_request');
  });
});

describe('authenticateClient', () => {
  const basicCreds = (secret: string | null): ClientCredentials => ({ clientId: 'c1', secret, method: 'client_secret_basic' });

  it('returns the client for the right secret and method', async () => {
    const client = await clientOf('client_secret_basic', 'right');
    await expect(authenticateClient(basicCreds('right'), async () => client)).resolves.toBe(client);
  });

  it('returns a public client without a secret', async () => {
    const client = await clientOf('none', null);
    await expect(authenticateClient({ clientId: 'c1', secret: null, method: 'none' }, async () => client)).resolves.toBe(client);
  });

  it.each<[string, ClientCredentials, TokenEndpointAuthMethod, string | null]>([
    ['a wrong secret', { clientId: 'c1', secret: 'wrong', method: 'client_secret_basic' }, 'client_secret_basic', 'right'],
    ['an empty secret', { clientId: 'c1', secret: '', method: 'client_secret_basic' }, 'client_secret_basic', 'right'],
    ['post for a basic client', { clientId: 'c1', secret: 'right', method: 'client_secret_post' }, 'client_secret_basic', 'right'],
    ['basic for a post client', { clientId: 'c1', secret: 'right', method: 'client_secret_basic' }, 'client_secret_post', 'right'],
    ['none for a confidential client', { clientId: 'c1', secret: null, method: 'none' }, 'client_secret_basic', 'right'],
    ['a secret for a public client', { clientId: 'c1', secret: 'x', method: 'client_secret_post' }, 'none', null],
  ])('refuses %s with invalid_client', async (_, creds, method, secret) => {
    const client = await clientOf(method, secret);
    const err = await asyncOAuthErrorOf(authenticateClient(creds, async () => client));
    expect(err.code).toBe('invalid_client');
    expect(err.status).toBe(401);
  });

  it('refuses an unknown client with invalid_client', async () => {
    const err = await asyncOAuthErrorOf(authenticateClient(basicCreds('x'), async () => null));
    expect(err.code).toBe('invalid_client');
  });

  it('refuses a confidential client whose stored hash is missing', async () => {
    const client = { ...(await clientOf('client_secret_basic', 'right')), secretHash: null };
    expect((await asyncOAuthErrorOf(authenticateClient(basicCreds('right'), async () => client))).code).toBe('invalid_client');
  });
});
