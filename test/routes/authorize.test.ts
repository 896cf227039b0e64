import { describe, expect, it } from 'vitest';
import { authorizeUrl, call, createClient, createUser, exchange, hiddenTx, ISSUER, pkcePair, signIn } from '../helpers/fixtures.ts';
import { expectErrorPage, expectRedirect, expectRedirectError, isLoginPage } from '../helpers/flow.ts';

const REGISTERED = 'https://app.example.com/cb';
const XSS = '<script>alert(1)</script>';

function query(params: Record<string, string | string[]>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const v of [value].flat()) search.append(name, v);
  return `/authorize?${search}`;
}

function postAuthorize(body: string, contentType = 'application/x-www-form-urlencoded'): Promise<Response> {
  return call('/authorize', { method: 'POST', headers: { 'Content-Type': contentType }, body });
}

describe('GET /authorize before the redirect URI is trusted (RFC 6749 §4.1.2.1)', () => {
  it('renders an error page for an unknown client_id', async () => {
    const client = await createClient();
    const body = await expectErrorPage(await call(authorizeUrl({ ...client, clientId: 'no-such-client' })));
    expect(body).toContain('client_id is not registered');
  });

  it('renders an error page for a missing client_id', async () => {
    const client = await createClient();
    const body = await expectErrorPage(await call(query({ response_type: 'code', redirect_uri: client.redirectUri, scope: 'openid' })));
    expect(body).toContain('no client_id');
  });

  it('renders an error page for a missing redirect_uri', async () => {
    const client = await createClient();
    const body = await expectErrorPage(await call(query({ response_type: 'code', client_id: client.clientId, scope: 'openid', state: 's' })));
    expect(body).toContain('no redirect_uri');
  });

  it('renders an error page for an unregistered redirect_uri', async () => {
    const client = await createClient();
    const body = await expectErrorPage(await call(authorizeUrl(client, { redirect_uri: 'https://evil.example/cb' })));
    expect(body).toContain('redirect_uri is not registered');
    expect(body).not.toContain('evil.example');
  });

  it('serves the error page as no-store HTML with the security headers', async () => {
    const res = await call(authorizeUrl({ clientId: 'no-such-client', redirectUri: REGISTERED, secret: null }));
    await expectErrorPage(res);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=UTF-8');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
  });

  it('does not reflect markup from client_id, redirect_uri or state', async () => {
    const known = await createClient();
    for (const params of [
      { client_id: XSS, redirect_uri: REGISTERED, state: XSS },
      { client_id: known.clientId, redirect_uri: `https://app.example.com/${XSS}`, state: XSS },
      { client_id: known.clientId, redirect_uri: XSS, state: XSS },
      { client_id: known.clientId, state: XSS },
    ] as Record<string, string>[]) {
      const body = await expectErrorPage(await call(query({ response_type: 'code', scope: 'openid', ...params })));
      expect(body).not.toContain('<script>');
      expect(body).not.toContain(XSS);
    }
  });

  it('refuses a client_id longer than 256 characters without redirecting', async () => {
    const client = await createClient();
    await expectErrorPage(await call(authorizeUrl(client, { client_id: 'c'.repeat(257) })));
  });

  it.each([
    ['an appended path', `${REGISTERED}/x`],
    ['a suffix without a slash', `${REGISTERED}x`],
    ['an added query', `${REGISTERED}?a=1`],
    ['an upper-case scheme and host', 'HTTPS://APP.example.com/cb'],
    ['an upper-case path', 'https://app.example.com/CB'],
    ['a trailing slash', `${REGISTERED}/`],
    ['a fragment', `${REGISTERED}#x`],
    ['an empty fragment', `${REGISTERED}#`],
    ['a percent-encoded character', 'https://app.example.com/c%62'],
    ['an explicit default port', 'https://app.example.com:443/cb'],
    ['a different port', 'https://app.example.com:8443/cb'],
    ['http instead of https', 'http://app.example.com/cb'],
    ['user info', 'https://user@app.example.com/cb'],
    ['a subdomain', 'https://evil.app.example.com/cb'],
    ['a dot-segment', 'https://app.example.com/x/../cb'],
    ['a trailing dot on the host', 'https://app.example.com./cb'],
    ['leading whitespace', ` ${REGISTERED}`],
  ])('refuses a redirect_uri with %s, without redirecting', async (_, redirectUri) => {
    const client = await createClient({ redirectUris: [REGISTERED] });
    const res = await call(authorizeUrl(client, { redirect_uri: redirectUri }));
    const body = await expectErrorPage(res);
    expect(body).toContain('redirect_uri is not registered');
  });

  it('accepts the registered redirect_uri itself', async () => {
    const client = await createClient({ redirectUris: [REGISTERED] });
    const res = await call(authorizeUrl(client));
    expect(res.status).toBe(200);
    expect(isLoginPage(await res.text())).toBe(true);
  });

  it('refuses a repeated client_id', async () => {
    const client = await createClient();
    await expectErrorPage(await call(query({ response_type: 'code', client_id: [client.clientId, client.clientId], redirect_uri: client.redirectUri, scope: 'openid' })));
  });

  it('refuses a repeated redirect_uri', async () => {
    const client = await createClient();
    await expectErrorPage(await call(query({ response_type: 'code', client_id: client.clientId, redirect_uri: [client.redirectUri, client.redirectUri], scope: 'openid' })));
  });

  it('renders HTML, not a redirect, when other errors come with a bad redirect_uri', async () => {
    const client = await createClient();
    for (const extra of [
      { response_type: 'token' },
      { scope: 'profile' },
      { request: 'eyJhbGciOiJub25lIn0.e30.' },
      { prompt: 'none' },
      { code_challenge_method: 'plain', code_challenge: 'x' },
    ] as Record<string, string>[]) {
      await expectErrorPage(await call(authorizeUrl(client, { redirect_uri: 'https://evil.example/cb', ...extra })));
    }
  });

  it('renders HTML for a POST with a JSON body, never a 500', async () => {
    const client = await createClient();
    const body = JSON.stringify({ response_type: 'code', client_id: client.clientId, redirect_uri: client.redirectUri, scope: 'openid' });
    await expectErrorPage(await postAuthorize(body, 'application/json'));
  });

  it('renders HTML for a POST without a content type, never a 500', async () => {
    const client = await createClient();
    const res = await call('/authorize', { method: 'POST', body: `client_id=${client.clientId}` });
    await expectErrorPage(res);
  });
});

describe('GET /authorize errors after the redirect URI is trusted', () => {
  it.each<[string, Record<string, string>, string]>([
    ['a missing response_type', { response_type: '' }, 'invalid_request'],
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['response_type=id_token', { response_type: 'id_token' }, 'unsupported_response_type'],
    ['response_type=code id_token', { response_type: 'code id_token' }, 'unsupported_response_type'],
    ['response_type=code token', { response_type: 'code token' }, 'unsupported_response_type'],
    ['response_type=none', { response_type: 'none' }, 'unsupported_response_type'],
    ['a resource with a fragment (RFC 8707 §2)', { resource: 'https://api.example.com/#x' }, 'invalid_target'],
    ['a relative resource', { resource: '/api' }, 'invalid_target'],
    ['a resource the client has not registered', { resource: 'https://other.example.com' }, 'invalid_target'],
    ['a scope with a forbidden character', { scope: 'openid "x"' }, 'invalid_scope'],
    ['a request object', { request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported'],
    ['a request_uri', { request_uri: 'https://app.example.com/request.jwt' }, 'request_uri_not_supported'],
    ['a registration parameter', { registration: '{}' }, 'registration_not_supported'],
    ['code_challenge_method=plain', { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }, 'invalid_request'],
    ['a code_challenge without a method', { code_challenge: 'a'.repeat(43) }, 'invalid_request'],
    ['a code_challenge_method without a challenge', { code_challenge_method: 'S256' }, 'invalid_request'],
    ['a short code_challenge', { code_challenge: 'a'.repeat(42), code_challenge_method: 'S256' }, 'invalid_request'],
    ['a long code_challenge', { code_challenge: 'a'.repeat(44), code_challenge_method: 'S256' }, 'invalid_request'],
    ['a code_challenge with padding', { code_challenge: `${'a'.repeat(42)}=`, code_challenge_method: 'S256' }, 'invalid_request'],
    ['a code_challenge in base64, not base64url', { code_challenge: `${'a'.repeat(42)}+`, code_challenge_method: 'S256' }, 'invalid_request'],
    ['prompt=none without a session', { prompt: 'none' }, 'login_required'],
    ['prompt=none with login', { prompt: 'none login' }, 'invalid_request'],
    ['prompt=none with consent', { prompt: 'consent none' }, 'invalid_request'],
    ['an unknown prompt value', { prompt: 'login bogus' }, 'invalid_request'],
    ['max_age=abc', { max_age: 'abc' }, 'invalid_request'],
    ['a negative max_age', { max_age: '-1' }, 'invalid_request'],
    ['a fractional max_age', { max_age: '1.5' }, 'invalid_request'],
    ['a bad id_token_hint', { id_token_hint: 'not-a-jwt' }, 'invalid_request'],
    ['an unsigned id_token_hint', { id_token_hint: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }, 'invalid_request'],
    ['claims that are not JSON', { claims: '{id_token' }, 'invalid_request'],
    ['claims that are a JSON array', { claims: '[]' }, 'invalid_request'],
    ['claims.id_token that is not an object', { claims: '{"id_token":["email"]}' }, 'invalid_request'],
    ['response_mode=fragment', { response_mode: 'fragment' }, 'invalid_request'],
    ['response_mode=form_post', { response_mode: 'form_post' }, 'invalid_request'],
    ['a nonce longer than 512 characters', { nonce: 'n'.repeat(513) }, 'invalid_request'],
    ['a login_hint longer than 256 characters', { login_hint: 'u'.repeat(257) }, 'invalid_request'],
  ])('redirects %s with the right error code', async (_, params, error) => {
    const client = await createClient();
    expectRedirectError(await call(authorizeUrl(client, params)), client, error);
  });

  it('redirects a repeated scope with invalid_request', async () => {
    const client = await createClient();
    const url = `${authorizeUrl(client)}&scope=openid`;
    expectRedirectError(await call(url), client, 'invalid_request');
  });

  it('redirects a repeated state with invalid_request and echoes no state', async () => {
    const client = await createClient();
    const url = `${authorizeUrl(client)}&state=other`;
    const params = expectRedirectError(await call(url), client, 'invalid_request', null);
    expect(params.getAll('state')).toEqual([]);
  });

  it('redirects an oversized state with invalid_request without echoing it', async () => {
    const client = await createClient();
    const state = 's'.repeat(1025);
    const res = await call(authorizeUrl(client, { state }));
    expectRedirectError(res, client, 'invalid_request', null);
    expect(res.headers.get('Location')).not.toContain(state);
  });

  it('accepts a state of exactly 1024 characters', async () => {
    const client = await createClient();
    const state = 's'.repeat(1024);
    expectRedirectError(await call(authorizeUrl(client, { state, response_type: 'token' })), client, 'unsupported_response_type', state);
  });

  it('echoes a state with unicode, spaces and reserved characters exactly', async () => {
    const client = await createClient();
    const state = 'état 🎉 a+b&c=d %20 /?#';
    expectRedirectError(await call(authorizeUrl(client, { state, response_type: 'token' })), client, 'unsupported_response_type', state);
  });

  it('omits state when none was sent', async () => {
    const client = await createClient();
    const res = await call(authorizeUrl(client, { state: '', response_type: 'token' }));
    const params = expectRedirectError(res, client, 'unsupported_response_type', null);
    expect(params.has('state')).toBe(false);
  });

  it('keeps the query the redirect URI was registered with', async () => {
    const client = await createClient({ redirectUris: ['https://app.example.com/cb?tenant=a%20b'] });
    const params = expectRedirectError(await call(authorizeUrl(client, { response_type: 'token' })), client, 'unsupported_response_type');
    expect(params.get('tenant')).toBe('a b');
  });

  it('redirects unauthorized_client for a client without the authorization_code grant', async () => {
    const client = await createClient({ grantTypes: ['client_credentials'] });
    expectRedirectError(await call(authorizeUrl(client)), client, 'unauthorized_client');
  });

  it('requires a code_challenge from a public client', async () => {
    const client = await createClient({ tokenEndpointAuthMethod: 'none', secretHash: null });
    const params = expectRedirectError(await call(authorizeUrl(client)), client, 'invalid_request');
    expect(params.get('error_description')).toContain('code_challenge');
  });

  it('shows the login form to a public client that sends an S256 challenge', async () => {
    const client = await createClient({ tokenEndpointAuthMethod: 'none', secretHash: null });
    const { challenge } = await pkcePair();
    const res = await call(authorizeUrl(client, { code_challenge: challenge, code_challenge_method: 'S256' }));
    expect(res.status).toBe(200);
    expect(isLoginPage(await res.text())).toBe(true);
  });

  it('keeps error_description to the characters RFC 6749 allows', async () => {
    const client = await createClient();
    const params = expectRedirectError(await call(authorizeUrl(client, { prompt: 'ünïcode' })), client, 'invalid_request');
    expect(params.get('error_description')).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/);
  });

  it('marks redirects no-store', async () => {
    const client = await createClient();
    const res = await call(authorizeUrl(client, { response_type: 'token' }));
    expect(res.status).toBe(302);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });
});

describe('redirect URIs for native apps (RFC 8252)', () => {
  it.each(['com.example.app:/oauth2redirect', 'http://127.0.0.1:8080/cb', 'http://[::1]:8080/cb', 'http://localhost:3000/cb'])(
    'redirects back to %s exactly, with the code',
    async (redirectUri) => {
      const client = await createClient({ redirectUris: [redirectUri] });
      const user = await createUser();
      const { location, code } = await signIn(client, user);
      expect(location.href.startsWith(`${redirectUri}?`)).toBe(true);
      expect((await exchange(client, code)).status).toBe(200);
    },
  );

  it('does not accept another loopback port than the one registered from a confidential client', async () => {
    const client = await createClient({ redirectUris: ['http://127.0.0.1:8080/cb'] });
    await expectErrorPage(await call(authorizeUrl(client, { redirect_uri: 'http://127.0.0.1:9090/cb' })));
  });

  it('accepts any loopback port from a public client (§7.3), and the code goes to that port', async () => {
    const client = await createClient({ tokenEndpointAuthMethod: 'none', secretHash: null, redirectUris: ['http://127.0.0.1/cb'] });
    const { challenge } = await pkcePair();
    const redirectUri = 'http://127.0.0.1:9090/cb';
    const { location } = await signIn({ ...client, redirectUri }, await createUser(), { code_challenge: challenge, code_challenge_method: 'S256' });
    expect(location.href.startsWith(`${redirectUri}?`)).toBe(true);
    await expectErrorPage(await call(authorizeUrl({ ...client, redirectUri: 'http://127.0.0.1:9090/other' }, { code_challenge: challenge, code_challenge_method: 'S256' })));
  });
});

describe('scopes', () => {
  it('drops unknown scopes and grants only those supported', async () => {
    const client = await createClient();
    const user = await createUser();
    const { code } = await signIn(client, user, { scope: 'openid unknown email address phone' });
    const res = await exchange(client, code);
    expect(res.status).toBe(200);
    expect((await res.json<{ scope: string }>()).scope).toBe('openid email');
  });

  it('drops scopes the client may not request', async () => {
    const client = await createClient({ scopes: ['openid', 'email'] });
    const user = await createUser();
    const { code } = await signIn(client, user, { scope: 'openid profile email' });
    const res = await exchange(client, code);
    expect((await res.json<{ scope: string }>()).scope).toBe('openid email');
  });
});

describe('POST /authorize', () => {
  it('renders the login form for a form body, like GET', async () => {
    const client = await createClient();
    const res = await postAuthorize(authorizeUrl(client).split('?')[1]!);
    expect(res.status).toBe(200);
    expect(isLoginPage(await res.text())).toBe(true);
  });

  it('redirects errors with 303 once the redirect URI is trusted', async () => {
    const client = await createClient();
    const res = await postAuthorize(authorizeUrl(client, { response_type: 'token' }).split('?')[1]!);
    expectRedirectError(res, client, 'unsupported_response_type', 'st-123', 303);
  });

  it('renders an error page for an unregistered redirect_uri', async () => {
    const client = await createClient();
    await expectErrorPage(await postAuthorize(authorizeUrl(client, { redirect_uri: 'https://evil.example/cb' }).split('?')[1]!));
  });

  it('refuses a body over 16 KiB without redirecting, never a 5xx', async () => {
    const client = await createClient();
    const res = await postAuthorize(`${authorizeUrl(client).split('?')[1]}&pad=${'x'.repeat(17 * 1024)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('Location')).toBeNull();
  });

  it('reads only the body, not the query string', async () => {
    const client = await createClient();
    const res = await call(authorizeUrl(client), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
    await expectErrorPage(res);
  });
});

describe('the login form', () => {
  it('names the client and has labelled fields with autocomplete hints and a hidden tx', async () => {
    const client = await createClient({ name: 'Acme Portal' });
    const res = await call(authorizeUrl(client));
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=UTF-8');
    const html = await res.text();
    expect(html).toContain('Acme Portal');
    // "webauthn": passkeys offered in the username field's autofill (conditional mediation).
    expect(html).toMatch(/<input[^>]*name="username"[^>]*autocomplete="username webauthn"/);
    expect(html).toMatch(/<input[^>]*name="password"[^>]*type="password"[^>]*autocomplete="current-password"/);
    expect(html).toContain('<label for="username">');
    expect(html).toContain('<label for="password">');
    expect(html).toMatch(/<input[^>]*id="username"/);
    expect(html).toMatch(/<input[^>]*id="password"/);
    expect(hiddenTx(html)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(html).toContain('action="/login"');
  });

  it('prefills the username from login_hint', async () => {
    const client = await createClient();
    const html = await (await call(authorizeUrl(client, { login_hint: 'ada@example.com' }))).text();
    expect(html).toMatch(/<input[^>]*name="username"[^>]*value="ada@example.com"/);
  });

  it('escapes markup in login_hint and in the client name', async () => {
    const client = await createClient({ name: '<img src=x onerror=alert(1)>' });
    const html = await (await call(authorizeUrl(client, { login_hint: `"><script>alert(1)</script>` }))).text();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('is served no-store with the security headers and no CORS', async () => {
    const client = await createClient();
    const res = await call(authorizeUrl(client), { headers: { Origin: 'https://app.example.com' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });

  it('answers a CORS preflight without allowing the origin', async () => {
    const res = await call('/authorize', {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('contains no inline script (only same-origin /assets ones: passkeys, the show-password toggle) and no inline style', async () => {
    const client = await createClient();
    const html = await (await call(authorizeUrl(client))).text();
    const scripts = html.match(/<script[^>]*>[^<]*<\/script>/gi) ?? [];
    expect(scripts.length).toBe((html.match(/<script/gi) ?? []).length);
    for (const script of scripts) expect(script).toMatch(/^<script src="\/assets\/[a-z-]+\.js"[^>]*><\/script>$/);
    expect(html).toContain('<script src="/assets/webauthn.js" defer=""></script>');
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/<style/i);
  });

  it('issues a code whose redirect carries iss', async () => {
    const client = await createClient();
    const user = await createUser();
    const { location } = await signIn(client, user);
    expect(location.searchParams.get('iss')).toBe(ISSUER);
  });
});

describe('the success redirect', () => {
  it('carries code, state and iss, and nothing else', async () => {
    const client = await createClient();
    const user = await createUser();
    const { location } = await signIn(client, user, { state: 'x y' });
    expect([...location.searchParams.keys()].sort()).toEqual(['code', 'iss', 'state']);
    expect(location.searchParams.get('state')).toBe('x y');
    expect(location.hash).toBe('');
  });

  it('goes to the exact registered URI', async () => {
    const client = await createClient({ redirectUris: ['https://app.example.com/cb?tenant=1'] });
    const user = await createUser();
    const { location } = await signIn(client, user);
    expect(location.origin + location.pathname).toBe('https://app.example.com/cb');
    expect(location.searchParams.get('tenant')).toBe('1');
    expectRedirect(new Response(null, { status: 302, headers: { Location: location.href } }), client);
  });
});
