import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authorizeUrl, call, createUser, form, hiddenTx, sessionCookie, submitLogin } from '../helpers/fixtures.ts';
import { expectErrorPage, expectOAuthError, isConsentPage, isLoginPage, type TokenResponse } from '../helpers/flow.ts';
import { documentUrl, forgetDocuments, jsonResponse, metadataDocument, pkceParams, publicToken, serveClient, serveDocuments } from '../helpers/metadata-documents.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

async function allow(login: Response): Promise<URL> {
  const html = await login.text();
  expect(isConsentPage(html)).toBe(true);
  const allowed = await form('/consent', { tx: hiddenTx(html), decision: 'allow' }, { Cookie: sessionCookie(login) });
  expect(allowed.status).toBe(303);
  return new URL(allowed.headers.get('Location')!);
}

describe('a client_id that is a metadata document URL', () => {
  it('runs the code flow with PKCE, refresh and revocation, fetching the document once', async () => {
    const { client, fetches } = serveClient();
    const user = await createUser();
    const pkce = await pkceParams();
    const location = await allow(await submitLogin(client, user, { ...pkce.params, scope: 'openid offline_access' }));
    expect(location.origin + location.pathname).toBe('http://127.0.0.1:49152/callback');
    const code = location.searchParams.get('code')!;
    const res = await publicToken(client, { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: pkce.verifier });
    expect(res.status).toBe(200);
    const tokens = await res.json<TokenResponse>();
    expect(tokens.refresh_token).toBeDefined();
    const refreshed = await publicToken(client, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    expect(refreshed.status).toBe(200);
    const next = await refreshed.json<TokenResponse>();
    expect((await form('/revoke', { client_id: client.clientId, token: next.refresh_token! })).status).toBe(200);
    await expectOAuthError(await publicToken(client, { grant_type: 'refresh_token', refresh_token: next.refresh_token! }), 400, 'invalid_grant');
    expect(fetches).toHaveBeenCalledTimes(1);
    const [, init] = fetches.mock.calls[0]!;
    expect(init).toMatchObject({ redirect: 'manual' });
    expect(init!.signal).toBeInstanceOf(AbortSignal);
  });

  it('requires PKCE', async () => {
    const { client } = serveClient();
    const res = await call(authorizeUrl(client));
    const params = new URL(res.headers.get('Location')!).searchParams;
    expect(params.get('error')).toBe('invalid_request');
  });

  it('always shows consent, with the host that published the document, even after an earlier allow', async () => {
    const { client } = serveClient({ client_name: '<b>Trusted</b> App' });
    const user = await createUser();
    const first = await submitLogin(client, user, (await pkceParams()).params);
    const cookie = sessionCookie(first);
    await allow(first);
    const again = await call(authorizeUrl(client, (await pkceParams()).params), { headers: { Cookie: cookie } });
    expect(again.status).toBe(200);
    const html = await again.text();
    expect(isConsentPage(html)).toBe(true);
    expect(html).toContain('from <strong>app.example.com</strong>');
    expect(html).toContain('&lt;b&gt;Trusted&lt;/b&gt; App');
  });

  it('matches a loopback redirect URI on any port, and nothing else loosely', async () => {
    const { client } = serveClient({ redirect_uris: ['http://127.0.0.1/callback', 'https://app.example.com/cb'] });
    const pkce = (await pkceParams()).params;
    for (const redirectUri of ['http://127.0.0.1:1/callback', 'http://127.0.0.1:65535/callback', 'http://127.0.0.1/callback']) {
      expect(isLoginPage(await (await call(authorizeUrl({ ...client, redirectUri }, pkce))).text())).toBe(true);
    }
    for (const redirectUri of ['http://127.0.0.1:8080/callback/', 'http://localhost:8080/callback', 'https://app.example.com:8443/cb', 'http://127.0.0.1:99999/callback']) {
      expect(await expectErrorPage(await call(authorizeUrl({ ...client, redirectUri }, pkce)))).toContain('not registered');
    }
  });

  it('reads a cached document from KV in another isolate, and fetches again once its lifetime ends', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { client, fetches } = serveClient({}, { 'Cache-Control': 'public, max-age=120' });
      const pkce = (await pkceParams()).params;
      expect((await call(authorizeUrl(client, pkce))).status).toBe(200);
      await vi.waitFor(async () => expect(await env.CODES.get(`cimd:${client.clientId}`)).not.toBeNull());
      await forgetDocuments();
      expect((await call(authorizeUrl(client, pkce))).status).toBe(200);
      expect(fetches).toHaveBeenCalledTimes(1);
      vi.setSystemTime(Date.now() + 121_000);
      expect((await call(authorizeUrl(client, pkce))).status).toBe(200);
      expect(fetches).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('signs out through its id_token_hint to a post_logout_redirect_uri the document lists, and no other', async () => {
    const signedOut = 'https://app.example.com/signed-out';
    const { client } = serveClient({ post_logout_redirect_uris: [signedOut] });
    const pkce = await pkceParams();
    const login = await submitLogin(client, await createUser(), pkce.params);
    const cookie = sessionCookie(login);
    const code = (await allow(login)).searchParams.get('code')!;
    const tokens = await (await publicToken(client, { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: pkce.verifier })).json<TokenResponse>();
    const elsewhere = await call(`/logout?${new URLSearchParams({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://evil.example.com/' })}`, { headers: { Cookie: cookie } });
    await expectErrorPage(elsewhere);
    const res = await call(`/logout?${new URLSearchParams({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: signedOut, state: 's' })}`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe(`${signedOut}?state=s`);
  });

  it('reads an unusable document at /logout as an unknown client', async () => {
    serveDocuments(() => new Response('nope'));
    expect(await expectErrorPage(await call(`/logout?${new URLSearchParams({ client_id: documentUrl() })}`))).toContain('not registered');
  });

  it('refuses an unusable document at /token with invalid_client', async () => {
    const url = documentUrl();
    serveDocuments(() => jsonResponse(metadataDocument('https://other.example.com/client.json')));
    await expectOAuthError(await form('/token', { grant_type: 'authorization_code', code: 'x', redirect_uri: 'http://127.0.0.1/callback', client_id: url }), 401, 'invalid_client');
  });
});

describe('hostile metadata documents at /authorize: an error page, never a redirect', () => {
  const pkce = { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' };
  const authorizeAs = (clientId: string, redirectUri = 'http://127.0.0.1/callback') => call(authorizeUrl({ clientId, secret: null, redirectUri }, pkce));

  it.each([
    ['10.x', 'https://10.0.0.8/client.json'],
    ['127.x', 'https://127.0.0.1/client.json'],
    ['169.254.x (cloud metadata)', 'https://169.254.169.254/latest/client.json'],
    ['[::1]', 'https://[::1]/client.json'],
    ['[fc00::]', 'https://[fc00::1]/client.json'],
    ['IPv4-mapped loopback', 'https://[::ffff:7f00:1]/client.json'],
    ['localhost', 'https://localhost/client.json'],
    ['a *.localhost name', 'https://app.localhost/client.json'],
    ['http outside dev mode', 'http://localhost:8788/client.json'],
  ])('refuses a document URL on %s without fetching it', async (_, url) => {
    const fetches = serveDocuments(() => jsonResponse(metadataDocument(url)));
    expect(await expectErrorPage(await authorizeAs(url))).toContain('the client_id must');
    expect(fetches).not.toHaveBeenCalled();
  });

  it.each([
    ['a document over the size limit', () => jsonResponse({ ...metadataDocument(''), padding: 'x'.repeat(6000) }), 'larger than 5120 bytes'],
    ['a huge JSON body with a small Content-Length', () => new Response('['.repeat(100_000), { headers: { 'Content-Length': '10' } }), 'larger than 5120 bytes'],
    ['a redirect', () => new Response(null, { status: 302, headers: { Location: 'https://127.0.0.1/client.json' } }), 'redirects, which is not followed'],
    ['a 404', () => new Response('gone', { status: 404 }), 'answered HTTP 404'],
    ['non-JSON', () => new Response('<html>hello</html>'), 'is not JSON'],
    ['a JSON array', () => jsonResponse([]), 'is not a JSON object'],
    ['another client_id', () => jsonResponse(metadataDocument('https://app.example.com/other.json')), 'names another client_id'],
    ['no redirect_uris', (url: string) => jsonResponse(metadataDocument(url, { redirect_uris: undefined })), 'needs redirect_uris'],
    ['redirect_uris as a string', (url: string) => jsonResponse(metadataDocument(url, { redirect_uris: 'http://127.0.0.1/callback' })), 'needs redirect_uris'],
    ['a javascript: redirect URI', (url: string) => jsonResponse(metadataDocument(url, { redirect_uris: ['javascript:alert(1)'] })), 'must use https'],
    ['a client_name that is a number', (url: string) => jsonResponse(metadataDocument(url, { client_name: 42 })), 'client_name that is not a string'],
    ['a confidential client', (url: string) => jsonResponse(metadataDocument(url, { token_endpoint_auth_method: 'client_secret_basic' })), 'must describe a public client'],
    ['private_key_jwt', (url: string) => jsonResponse(metadataDocument(url, { token_endpoint_auth_method: 'private_key_jwt' })), 'must describe a public client'],
    ['invalid UTF-8', () => new Response(new Uint8Array([0x7b, 0xff, 0x7d])), 'is not valid UTF-8'],
  ])('refuses %s', async (_, answer, message) => {
    const url = documentUrl();
    serveDocuments(() => (answer as (u: string) => Response)(url));
    expect(await expectErrorPage(await authorizeAs(url))).toContain(message);
  });

  it('refuses a redirect_uri the document does not list', async () => {
    const { client } = serveClient();
    expect(await expectErrorPage(await authorizeAs(client.clientId, 'http://127.0.0.1/other'))).toContain('not registered');
  });

  it('refuses a network failure without saying more', async () => {
    const url = documentUrl();
    serveDocuments(() => Promise.reject(new TypeError('Network connection lost.')));
    expect(await expectErrorPage(await authorizeAs(url))).toContain('could not be fetched');
  });

  it('caches nothing it refused', async () => {
    const url = documentUrl();
    const fetches = serveDocuments(() => new Response('nope'));
    await authorizeAs(url);
    await authorizeAs(url);
    expect(fetches).toHaveBeenCalledTimes(2);
  });
});
