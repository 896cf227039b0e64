// The gateway example against the provider, both under wrangler dev: sign-in, the protected API, logout.
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSignIn, hiddenField, startDevServer, type DevServer } from './helpers/dev-server.ts';
import { CookieJar, startGateway, type GatewayServer } from './helpers/gateway-server.ts';

let provider: DevServer;
let gateway: GatewayServer;
const user = { username: 'gw-alice', password: 'gw-correct-horse-42', email: 'gw-alice@example.com', name: 'Alice Gateway' };
const otherRedirect = 'http://127.0.0.1:9/callback';

beforeAll(async () => {
  provider = await startDevServer();
  await provider.addUser(user);
  gateway = await startGateway(provider);
  // Clients that obtain tokens the gateway must refuse: another audience, too narrow a scope.
  await provider.addClient({ clientId: 'gw-other-api', secret: 'gw-other-secret-0123456789abcdefghijklmnop', redirectUris: [otherRedirect] });
  await provider.addClient({
    clientId: 'gw-narrow', secret: 'gw-narrow-secret-0123456789abcdefghijklmnop', redirectUris: [otherRedirect], audience: gateway.origin, scopes: ['openid'],
  });
});

afterAll(async () => {
  await gateway?.stop();
  await provider?.stop();
});

/** Signs in through the gateway as a browser would; returns the jar holding both sessions. */
async function signIn(jar = new CookieJar()): Promise<{ jar: CookieJar; authorize: URL }> {
  const start = await jar.fetch(`${gateway.origin}/login`);
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('Location')!);
  const page = await jar.fetch(authorize.href);
  expect(page.status).toBe(200);
  const tx = hiddenField(await page.text());
  const login = await jar.fetch(`${provider.issuer}/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: provider.issuer },
    body: new URLSearchParams({ tx, username: user.username, password: user.password }),
  });
  expect(login.status).toBe(303);
  const { res } = await jar.follow(login.headers.get('Location')!);
  expect(res.status).toBe(200);
  return { jar, authorize };
}

async function providerToken(clientId: string, secret: string): Promise<string> {
  const verifier = 'v'.repeat(43);
  const challenge = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))).toString('base64url');
  const url = new URL(`${provider.issuer}/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: otherRedirect, scope: 'openid profile', state: 's', code_challenge: challenge, code_challenge_method: 'S256',
  }).toString();
  const callback = await browserSignIn(url.href, user.username, user.password, provider.issuer);
  const res = await fetch(`${provider.issuer}/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: otherRedirect, code_verifier: verifier }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

function api(token?: string) {
  return fetch(`${gateway.origin}/api/me`, token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });
}

describe('the gateway example', () => {
  it('starts the code flow with PKCE (S256), state and nonce, for its registered redirect URI', async () => {
    const { authorize } = await signIn();
    const p = authorize.searchParams;
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${provider.issuer}/authorize`);
    expect(p.get('client_id')).toBe(gateway.clientId);
    expect(p.get('redirect_uri')).toBe(`${gateway.origin}/callback`);
    expect(p.get('response_type')).toBe('code');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(p.get('nonce')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it('shows the signed-in page with the protected API response, and keeps the tokens in an encrypted cookie', async () => {
    const { jar } = await signIn();
    const session = jar.cookies.get('gateway_session')!;
    expect(session.split('.')).toHaveLength(5); // a compact JWE
    expect(session).not.toContain('eyJhbGciOiJSUzI1NiI'); // no readable token inside
    const home = await jar.fetch(`${gateway.origin}/`);
    const html = await home.text();
    expect(html).toContain('Hello, Alice Gateway');
    expect(html).toContain('<strong id="api-status">200</strong>');
    expect(html).toContain('&quot;token_source&quot;: &quot;bearer&quot;');
    expect(home.headers.get('Content-Security-Policy')).toContain("default-src 'none'");

    // Standards mode, the expiry readable next to the epoch number, and a JSON box that breaks lines only where needed.
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const exp = /&quot;expires_at&quot;: (\d+),\s*&quot;expires_at_iso&quot;: &quot;([^&]+)&quot;/.exec(html);
    expect(exp).not.toBeNull();
    expect(exp![2]).toBe(new Date(Number(exp![1]) * 1000).toISOString());
    const css = await (await fetch(`${gateway.origin}/style.css`)).text();
    expect(css).not.toContain('break-all');
    expect(css).toMatch(/pre\{[^}]*white-space:pre-wrap;word-break:normal;overflow-wrap:anywhere/);
    const notFound = await (await fetch(`${gateway.origin}/nowhere`)).text();
    expect(notFound.startsWith('<!doctype html>')).toBe(true);

    const viaSession = await jar.fetch(`${gateway.origin}/api/me`);
    expect(viaSession.status).toBe(200);
    expect(await viaSession.json()).toMatchObject({ client_id: gateway.clientId, scope: 'openid profile email', token_source: 'session' });
  });

  it('answers 401 with a Bearer challenge without a token, and invalid_token for a malformed one', async () => {
    const none = await api();
    expect(none.status).toBe(401);
    expect(none.headers.get('WWW-Authenticate')).toBe(`Bearer realm="${gateway.origin}"`);
    const garbage = await api('not.a.jwt');
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
    const malformed = await fetch(`${gateway.origin}/api/me`, { headers: { Authorization: 'Basic abc' } });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('WWW-Authenticate')).toContain('error="invalid_request"');
  });

  it('accepts a Bearer access token for its audience, and refuses one for another audience', async () => {
    const { jar } = await signIn();
    const home = await (await jar.fetch(`${gateway.origin}/`)).text();
    expect(home).toContain('&quot;sub&quot;');
    const foreign = await providerToken('gw-other-api', 'gw-other-secret-0123456789abcdefghijklmnop');
    const res = await api(foreign);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_token', error_description: 'the access token is not valid for this API' });
  });

  it('answers 403 insufficient_scope for a token without the profile scope', async () => {
    const narrow = await providerToken('gw-narrow', 'gw-narrow-secret-0123456789abcdefghijklmnop');
    const res = await api(narrow);
    expect(res.status).toBe(403);
    expect(res.headers.get('WWW-Authenticate')).toContain('error="insufficient_scope"');
    expect(res.headers.get('WWW-Authenticate')).toContain('scope="profile"');
  });

  it('refuses a well-formed token signed by a key that is not the provider\'s', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ scope: 'openid profile', client_id: gateway.clientId, jti: 'x' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'forged' })
      .setIssuer(provider.issuer).setAudience(gateway.origin).setSubject('someone').setIssuedAt().setExpirationTime('5m')
      .sign(privateKey);
    expect((await api(forged)).status).toBe(401);
  });

  it('refuses a callback whose state does not match, and one without a sign-in in progress', async () => {
    const jar = new CookieJar();
    await jar.fetch(`${gateway.origin}/login`);
    const wrongState = await jar.fetch(`${gateway.origin}/callback?code=abc&state=forged&iss=${encodeURIComponent(provider.issuer)}`);
    expect(wrongState.status).toBe(400);
    const noCookie = await fetch(`${gateway.origin}/callback?code=abc&state=forged`);
    expect(noCookie.status).toBe(400);
    expect(await noCookie.text()).toContain('Sign-in expired');
  });

  it('shows the provider\'s error when the sign-in was refused (access_denied)', async () => {
    const jar = new CookieJar();
    const start = await jar.fetch(`${gateway.origin}/login`);
    const state = new URL(start.headers.get('Location')!).searchParams.get('state')!;
    const denied = await jar.fetch(`${gateway.origin}/callback?error=access_denied&state=${state}&iss=${encodeURIComponent(provider.issuer)}`);
    expect(denied.status).toBe(400);
    expect(await denied.text()).toContain('access_denied');
  });

  it('signs out of both: end_session with id_token_hint, post_logout_redirect_uri and state, back to /', async () => {
    const { jar } = await signIn();
    const out = await jar.fetch(`${gateway.origin}/logout`, { method: 'POST', headers: { Origin: gateway.origin } });
    expect(out.status).toBe(303);
    const endSession = new URL(out.headers.get('Location')!);
    expect(`${endSession.origin}${endSession.pathname}`).toBe(`${provider.issuer}/logout`);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${gateway.origin}/`);
    expect(endSession.searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    expect(endSession.searchParams.get('state')).toBeTruthy();
    expect(jar.cookies.has('gateway_session')).toBe(false);
    const { res, urls } = await jar.follow(endSession.href);
    expect(urls.at(-1)).toBe(`${gateway.origin}/?state=${endSession.searchParams.get('state')}`);
    expect(await res.text()).toContain('You are signed out of the gateway and of edge-oidc.');
    expect(jar.cookies.has('edge_oidc_session')).toBe(false);
    // The provider's session is gone too: signing in again shows the login form.
    const again = await jar.fetch(`${gateway.origin}/login`);
    const form = await jar.fetch(again.headers.get('Location')!);
    expect(await form.text()).toContain('name="password"');
  });

  it('refuses a cross-site logout post', async () => {
    const { jar } = await signIn();
    const res = await jar.fetch(`${gateway.origin}/logout`, { method: 'POST', headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(403);
    expect(jar.cookies.has('gateway_session')).toBe(true);
  });
});
