// Interop: Auth.js (@auth/core, the engine under NextAuth and every Auth.js framework package) as the relying
// party, configured with nothing but the issuer URL, a client id and a secret, against wrangler dev.
import { Auth, type AuthConfig } from '@auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSignIn, startDevServer, type DevServer } from './helpers/dev-server.ts';

let server: DevServer;
const APP = 'http://127.0.0.1:3000';
const user = { username: 'authjs-carol', password: 'authjs-correct-horse-42', email: 'carol@example.com', name: 'Carol Authjs' };
// Auth.js authenticates at the token endpoint with client_secret_basic by default: the registration says the same.
const CLIENT = { id: 'interop-authjs', secret: 'interop-authjs-secret-0123456789abcdefghijklmnopqrstuvwxyz' };

/** The Auth.js app, called in-process with Web Requests; a tiny cookie jar plays the browser's part. */
function authApp(config: AuthConfig) {
  const cookies = new Map<string, string>();
  return {
    cookies,
    async fetch(path: string, init: RequestInit = {}): Promise<Response> {
      const headers = new Headers(init.headers);
      if (cookies.size > 0) headers.set('Cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
      const res = await Auth(new Request(new URL(path, APP), { ...init, headers }), config);
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attributes] = line.split(';');
        const eq = pair!.indexOf('=');
        const name = pair!.slice(0, eq).trim();
        const value = pair!.slice(eq + 1).trim();
        if (value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) cookies.delete(name);
        else cookies.set(name, value);
      }
      return res;
    },
  };
}

beforeAll(async () => {
  server = await startDevServer();
  await server.addUser(user);
  await server.addClient({ clientId: CLIENT.id, secret: CLIENT.secret, redirectUris: [`${APP}/auth/callback/edge`], authMethod: 'client_secret_basic' });
});

afterAll(async () => {
  await server?.stop();
});

describe('Auth.js (@auth/core) against wrangler dev', () => {
  /**
   * For an `oidc` provider Auth.js builds the profile from the id_token alone. edge-oidc, like node-oidc-provider,
   * follows OIDC Core §5.4: when an access token is issued, the profile and email claims come from /userinfo, not
   * the id_token. So an Auth.js app either reads /userinfo (`idToken: false`) or asks for the claims in the
   * id_token with the `claims` parameter (§5.5, advertised in discovery). Both are tested; README says so.
   */
  // What Auth.js logs as errors: kept and asserted where one is expected, instead of printed by a passing test.
  const authErrors: string[] = [];

  function config(way: 'userinfo' | 'claims'): AuthConfig {
    // Auth.js serialises `claims` itself (a string here would arrive double-encoded, and be refused).
    const claims = { id_token: { name: null, email: null, email_verified: null } };
    return {
      basePath: '/auth',
      logger: { error: (error) => { authErrors.push((error as { type?: string }).type ?? error.name); }, warn: () => undefined },
      secret: 'authjs-test-secret-0123456789abcdefghijklmnopqrstuvwxyz',
      trustHost: true,
      providers: [{
        id: 'edge', name: 'edge-oidc', type: 'oidc', issuer: server.issuer, clientId: CLIENT.id, clientSecret: CLIENT.secret,
        // Auth.js's default OIDC checks: PKCE and state; nonce as well, to have it validate ours.
        checks: ['pkce', 'state', 'nonce'],
        ...(way === 'userinfo'
          ? { idToken: false, authorization: { params: { scope: 'openid profile email' } } }
          : { authorization: { params: { scope: 'openid profile email', claims } } }),
      }],
    };
  }

  async function startSignIn(app: ReturnType<typeof authApp>): Promise<URL> {
    const { csrfToken } = (await (await app.fetch('/auth/csrf')).json()) as { csrfToken: string };
    const start = await app.fetch('/auth/signin/edge', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${APP}/after` }),
    });
    expect(start.status).toBe(302);
    return new URL(start.headers.get('Location')!);
  }

  it.each(['userinfo', 'claims'] as const)('signs in through the code flow (discovery, PKCE, state, nonce, iss, id_token) and holds a session with the profile (%s)', async (way) => {
    const app = authApp(config(way));
    const authorize = await startSignIn(app);
    expect(authorize.origin + authorize.pathname).toBe(`${server.issuer}/authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('nonce')).toBeTruthy();

    // Our login page, as a browser would use it; then the redirect back to Auth.js's callback.
    const callback = await browserSignIn(authorize.href, user.username, user.password, server.issuer);
    expect(callback.origin + callback.pathname).toBe(`${APP}/auth/callback/edge`);
    expect(callback.searchParams.get('iss')).toBe(server.issuer);

    // Auth.js redeems the code at /token (client_secret_basic, code_verifier), validates the id_token against
    // our JWKS (iss, aud, exp, nonce) and, with idToken: false, reads /userinfo: from this process to wrangler dev.
    const done = await app.fetch(callback.pathname + callback.search);
    expect(done.status, await done.clone().text()).toBe(302);
    expect(done.headers.get('Location')).toBe(`${APP}/after`);
    expect([...app.cookies.keys()]).toContain('authjs.session-token');

    const session = (await (await app.fetch('/auth/session')).json()) as { user?: { name?: string; email?: string } };
    expect(session.user).toMatchObject({ name: user.name, email: user.email });
  });

  it('lands on its error page, with no session, when edge-oidc answers the authorization request with an error', async () => {
    const app = authApp(config('userinfo'));
    const authorize = await startSignIn(app);
    // prompt=none for a browser with no session: edge-oidc redirects back with error=login_required (and iss, state).
    authorize.searchParams.set('prompt', 'none');
    const res = await fetch(authorize, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('Location')!);
    expect(back.searchParams.get('error')).toBe('login_required');
    const done = await app.fetch(back.pathname + back.search);
    expect(done.status).toBe(302);
    // Auth.js's answer to an error from the provider: back to its sign-in page, saying so.
    expect(done.headers.get('Location')).toBe(`${APP}/auth/signin?error=OAuthCallbackError`);
    expect(authErrors).toEqual(['OAuthCallbackError']);
    expect(app.cookies.has('authjs.session-token')).toBe(false);
  });
});
