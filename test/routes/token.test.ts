import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { hashClientSecret } from '../../src/crypto/digest.ts';
import { insertClient, type TokenEndpointAuthMethod } from '../../src/store/clients.ts';
import { basic, call, createClient, createUser, exchange, form, signIn, type TestClient } from '../helpers/fixtures.ts';
import { expectOAuthError } from '../helpers/flow.ts';

/** A confidential client with a chosen id and secret, for the encoding rules of RFC 6749 §2.3.1. */
async function clientWithSecret(clientId: string, secret: string, method: TokenEndpointAuthMethod = 'client_secret_basic'): Promise<TestClient> {
  const redirectUri = 'https://app.example.com/cb';
  await insertClient(env.DB, {
    clientId, secretHash: await hashClientSecret(secret), name: 'Special', tokenEndpointAuthMethod: method,
    grantTypes: ['authorization_code'], scopes: ['openid'], redirectUris: [redirectUri], postLogoutRedirectUris: [],
    idTokenSignedResponseAlg: 'RS256', audience: null, firstParty: true,
  });
  return { clientId, secret, redirectUri };
}

function token(body: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return form('/token', body, headers);
}

async function codeFor(client: TestClient): Promise<string> {
  return (await signIn(client, await createUser())).code;
}

function unique(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

describe('POST /token request shape', () => {
  it('refuses a JSON body with invalid_request', async () => {
    const client = await createClient();
    const res = await call('/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basic(client.clientId, client.secret!) },
      body: JSON.stringify({ grant_type: 'authorization_code', code: 'x', redirect_uri: client.redirectUri }),
    });
    await expectOAuthError(res, 400, 'invalid_request');
  });

  it('refuses a body without a content type with invalid_request', async () => {
    const client = await createClient();
    const res = await call('/token', {
      method: 'POST',
      headers: { Authorization: basic(client.clientId, client.secret!) },
      body: 'grant_type=authorization_code',
    });
    await expectOAuthError(res, 400, 'invalid_request');
  });

  it('accepts a form content type with a charset', async () => {
    const client = await createClient();
    const code = await codeFor(client);
    const res = await call('/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8', Authorization: basic(client.clientId, client.secret!) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri }).toString(),
    });
    expect(res.status).toBe(200);
  });

  it('refuses a missing grant_type with invalid_request', async () => {
    const client = await createClient();
    await expectOAuthError(await token({ code: 'x' }, { Authorization: basic(client.clientId, client.secret!) }), 400, 'invalid_request');
  });

  it('refuses a repeated grant_type with invalid_request', async () => {
    const client = await createClient();
    const res = await call('/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(client.clientId, client.secret!) },
      body: 'grant_type=authorization_code&grant_type=authorization_code&code=x',
    });
    await expectOAuthError(res, 400, 'invalid_request');
  });

  it.each(['password', 'implicit', 'foo', 'token', '__proto__', 'constructor', 'toString', 'urn:ietf:params:oauth:grant-type:jwt-bearer'])(
    'answers grant_type=%s with unsupported_grant_type',
    async (grantType) => {
      const client = await createClient();
      const res = await token({ grant_type: grantType, username: 'a', password: 'b' }, { Authorization: basic(client.clientId, client.secret!) });
      await expectOAuthError(res, 400, 'unsupported_grant_type');
    },
  );

  it('refuses the password grant and unknown grants with unsupported_grant_type', async () => {
    const client = await createClient();
    for (const grant_type of ['password', 'implicit', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'constructor', '__proto__']) {
      const res = await form('/token', { grant_type, username: 'u', password: 'p' }, { Authorization: basic(client.clientId, client.secret!) });
      expect(res.status).toBe(400);
      expect((await res.json<{ error: string }>()).error).toBe('unsupported_grant_type');
    }
  });

  it('answers unauthorized_client to a client not registered for the grant', async () => {
    const client = await createClient({ grantTypes: ['client_credentials'], scopes: ['openid', 'api'] });
    const res = await token({ grant_type: 'authorization_code', code: 'x', redirect_uri: client.redirectUri }, { Authorization: basic(client.clientId, client.secret!) });
    await expectOAuthError(res, 400, 'unauthorized_client');
  });

  it('has no GET handler', async () => {
    expect((await call('/token?grant_type=authorization_code')).status).toBe(404);
  });

  it('refuses a body over 16 KiB with a 4xx, never a 5xx', async () => {
    const client = await createClient();
    const res = await token({ grant_type: 'authorization_code', code: 'c', redirect_uri: client.redirectUri, pad: 'x'.repeat(17 * 1024) }, { Authorization: basic(client.clientId, client.secret!) });
    expect(res.status).toBe(400);
    expect((await res.json<{ error: string }>()).error).toBe('invalid_request');
  });

  it('refuses a streamed body over 16 KiB with a 4xx, never a 5xx', async () => {
    const client = await createClient();
    const chunk = new TextEncoder().encode('x'.repeat(4096));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 5) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await call('/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(client.clientId, client.secret!) },
      body,
    });
    expect(res.status).toBe(400);
  });

  it('answers errors with no-store JSON', async () => {
    const client = await createClient();
    const res = await token({ grant_type: 'foo' }, { Authorization: basic(client.clientId, client.secret!) });
    expect(res.headers.get('Content-Type')).toBe('application/json;charset=UTF-8');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('Pragma')).toBe('no-cache');
    const body = await res.json<Record<string, string>>();
    expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
  });

  it('answers success with no-store JSON', async () => {
    const client = await createClient();
    const res = await exchange(client, await codeFor(client));
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('Pragma')).toBe('no-cache');
  });

  it('may be called cross-origin (public clients in browsers)', async () => {
    const client = await createClient();
    const res = await token({ grant_type: 'foo' }, { Authorization: basic(client.clientId, client.secret!), Origin: 'https://spa.example.org' });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const preflight = await call('/token', {
      method: 'OPTIONS',
      headers: { Origin: 'https://spa.example.org', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });
});

describe('POST /token client authentication (RFC 6749 §2.3)', () => {
  it('answers an unknown client with 401 invalid_client and a Basic challenge', async () => {
    const res = await token({ grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://app.example.com/cb' }, { Authorization: basic('no-such-client', 'secret') });
    await expectOAuthError(res, 401, 'invalid_client');
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Basic /);
  });

  it('answers an unknown client_secret_post client with 401 invalid_client', async () => {
    const res = await token({ grant_type: 'authorization_code', code: 'x', client_id: 'no-such-client', client_secret: 'secret' });
    await expectOAuthError(res, 401, 'invalid_client');
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Basic /);
  });

  it('answers no authentication at all with 401 invalid_client', async () => {
    await expectOAuthError(await token({ grant_type: 'authorization_code', code: 'x' }), 401, 'invalid_client');
  });

  it('refuses a wrong secret over Basic', async () => {
    const client = await createClient();
    const res = await exchange({ ...client, secret: `${client.secret}x` }, await codeFor(client));
    await expectOAuthError(res, 401, 'invalid_client');
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Basic /);
  });

  it('refuses a wrong secret in the body', async () => {
    const client = await createClient({ tokenEndpointAuthMethod: 'client_secret_post' });
    const code = await codeFor(client);
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_id: client.clientId, client_secret: 'wrong' });
    await expectOAuthError(res, 401, 'invalid_client');
  });

  it('refuses the secret of another client', async () => {
    const client = await createClient();
    const other = await createClient();
    await expectOAuthError(await exchange({ ...client, secret: other.secret }, await codeFor(client)), 401, 'invalid_client');
  });

  it('accepts client_secret_post from a client registered for it', async () => {
    const client = await createClient({ tokenEndpointAuthMethod: 'client_secret_post' });
    const code = await codeFor(client);
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_id: client.clientId, client_secret: client.secret! });
    expect(res.status).toBe(200);
  });

  it('refuses client_secret_post from a client registered for client_secret_basic', async () => {
    const client = await createClient();
    const code = await codeFor(client);
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_id: client.clientId, client_secret: client.secret! });
    await expectOAuthError(res, 401, 'invalid_client');
  });

  it('refuses client_secret_basic from a client registered for client_secret_post', async () => {
    const client = await createClient({ tokenEndpointAuthMethod: 'client_secret_post' });
    await expectOAuthError(await exchange(client, await codeFor(client)), 401, 'invalid_client');
  });

  it('refuses a confidential client that sends only its client_id', async () => {
    const client = await createClient();
    const code = await codeFor(client);
    await expectOAuthError(await token({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_id: client.clientId }), 401, 'invalid_client');
  });

  it('refuses a public client that sends a secret', async () => {
    const client = await createClient({ tokenEndpointAuthMethod: 'none', secretHash: null });
    const res = await token({ grant_type: 'authorization_code', code: 'x', redirect_uri: client.redirectUri, client_id: client.clientId, client_secret: 'anything' });
    await expectOAuthError(res, 401, 'invalid_client');
  });

  it('refuses Basic and client_secret in the body together with invalid_request', async () => {
    const client = await createClient();
    const code = await codeFor(client);
    const res = await token(
      { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_secret: client.secret! },
      { Authorization: basic(client.clientId, client.secret!) },
    );
    await expectOAuthError(res, 400, 'invalid_request');
  });

  it('refuses a body client_id that differs from the Basic one with invalid_request', async () => {
    const client = await createClient();
    const other = await createClient();
    const res = await token({ grant_type: 'authorization_code', code: 'x', redirect_uri: client.redirectUri, client_id: other.clientId }, { Authorization: basic(client.clientId, client.secret!) });
    await expectOAuthError(res, 400, 'invalid_request');
  });

  it('accepts a body client_id equal to the Basic one', async () => {
    const client = await createClient();
    const code = await codeFor(client);
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_id: client.clientId }, { Authorization: basic(client.clientId, client.secret!) });
    expect(res.status).toBe(200);
  });

  it('accepts a lower-case basic scheme', async () => {
    const client = await createClient();
    const code = await codeFor(client);
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri }, { Authorization: basic(client.clientId, client.secret!).replace('Basic', 'basic') });
    expect(res.status).toBe(200);
  });

  it.each([
    ['invalid base64', 'Basic !!!not-base64!!!'],
    ['no colon', `Basic ${btoa('just-an-id')}`],
    ['bad percent-encoding', `Basic ${btoa('%zz:secret')}`],
    ['an empty client id', `Basic ${btoa(':secret')}`],
    ['invalid UTF-8', `Basic ${btoa('\xff\xfe:secret')}`],
  ])('refuses Basic credentials with %s as invalid_client', async (_, header) => {
    const res = await token({ grant_type: 'authorization_code', code: 'x' }, { Authorization: header });
    await expectOAuthError(res, 401, 'invalid_client');
  });

  it('refuses another Authorization scheme with invalid_request', async () => {
    const client = await createClient();
    const res = await token({ grant_type: 'authorization_code', code: 'x', client_id: client.clientId, client_secret: client.secret! }, { Authorization: 'Bearer abc' });
    await expectOAuthError(res, 400, 'invalid_request');
  });

  it('form-url-decodes a client id and secret with special characters in Basic', async () => {
    const client = await clientWithSecret(unique('id:with %+/ space'), 'se:cr%et+with spaces/=?&');
    const code = await codeFor(client);
    const res = await exchange(client, code);
    expect(res.status).toBe(200);
  });

  it('decodes "+" in Basic credentials as a space, per form-url-encoding', async () => {
    const client = await clientWithSecret(unique('plus'), 'has space');
    const code = await codeFor(client);
    const header = `Basic ${btoa(`${client.clientId}:has+space`)}`;
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri }, { Authorization: header });
    expect(res.status).toBe(200);
  });

  it('accepts special characters in client_secret_post', async () => {
    const client = await clientWithSecret(unique('post:id %'), 'se:cr%et+&=', 'client_secret_post');
    const code = await codeFor(client);
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_id: client.clientId, client_secret: client.secret! });
    expect(res.status).toBe(200);
  });

  it('accepts a public client with PKCE and only its client_id', async () => {
    const client = await createClient({ tokenEndpointAuthMethod: 'none', secretHash: null });
    const verifier = 'v'.repeat(43);
    const challenge = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)))))
      .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const { code } = await signIn(client, await createUser(), { code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_id: client.clientId, code_verifier: verifier });
    expect(res.status).toBe(200);
  });
});
