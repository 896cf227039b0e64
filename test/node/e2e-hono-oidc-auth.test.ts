// Interop: @hono/oidc-auth (Hono's OIDC middleware) as the relying party, in its default configuration: it asks
// for every scope discovery lists, offline_access included, without prompt=consent, and refreshes its session.
import { getAuth, initOidcAuthMiddleware, oidcAuthMiddleware } from '@hono/oidc-auth';
import { Hono } from 'hono';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { browserSignIn, startDevServer, type DevServer } from './helpers/dev-server.ts';

let server: DevServer;
const APP = 'http://127.0.0.1:3000';
const REFRESH_INTERVAL_SECONDS = 60;
const user = { username: 'hono-dave', password: 'hono-correct-horse-42', email: 'dave@example.com', name: 'Dave Hono' };
const CLIENT = { id: 'interop-hono', secret: 'interop-hono-secret-0123456789abcdefghijklmnopqrstuvwxyz' };

// oauth4webapi, under @hono/oidc-auth, refuses http issuers and the middleware cannot pass it the option that
// allows them. The issuer is named https://127.0.0.1:PORT and this process maps it to wrangler dev's http.
// wrangler dev's proxy rewrites an Origin naming its host to http, so form posts say same-origin as browsers do
// with Sec-Fetch-Site (which the sign-in form's CSRF check accepts).
const realFetch = globalThis.fetch;
function issuerFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = input instanceof Request ? input.url : String(input);
  if (!server || !url.startsWith(server.issuer)) return realFetch(input, init);
  const request = new Request(`http${url.slice('https'.length)}`, input instanceof Request ? input : init);
  const headers = new Headers(request.headers);
  headers.set('Sec-Fetch-Site', 'same-origin');
  return realFetch(new Request(request, { headers, redirect: init?.redirect ?? request.redirect }));
}

/** The Hono app, called in-process; a cookie jar (names only: paths and Secure do not matter here) plays the browser. */
function honoApp() {
  const app = new Hono();
  app.use('*', initOidcAuthMiddleware({
    OIDC_ISSUER: server.issuer,
    OIDC_CLIENT_ID: CLIENT.id,
    OIDC_CLIENT_SECRET: CLIENT.secret,
    OIDC_REDIRECT_URI: '/callback',
    OIDC_AUTH_SECRET: 'hono-oidc-auth-session-secret-0123456789',
    OIDC_AUTH_REFRESH_INTERVAL: String(REFRESH_INTERVAL_SECONDS),
  }));
  app.use('*', oidcAuthMiddleware());
  app.get('/', async (c) => c.json(await getAuth(c)));
  const cookies = new Map<string, string>();
  return {
    cookies,
    async fetch(path: string): Promise<Response> {
      const headers = new Headers();
      if (cookies.size > 0) headers.set('Cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
      const res = await app.fetch(new Request(new URL(path, APP), { headers }));
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attributes] = line.split(';');
        const eq = pair!.indexOf('=');
        const [name, value] = [pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim()];
        if (value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) cookies.delete(name);
        else cookies.set(name, value);
      }
      return res;
    },
  };
}

beforeAll(async () => {
  server = await startDevServer({ issuerScheme: 'https' });
  vi.stubGlobal('fetch', issuerFetch);
  await server.addUser(user);
  // First-party (the service's own app): no consent page, and offline_access without prompt=consent.
  await server.addClient({ clientId: CLIENT.id, secret: CLIENT.secret, redirectUris: [`${APP}/callback`], firstParty: true });
});

afterAll(async () => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  await server?.stop();
});

describe('@hono/oidc-auth against wrangler dev', () => {
  it('gets a refresh token without prompt=consent and refreshes its session with it', async () => {
    const app = honoApp();
    const start = await app.fetch('/');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('Location')!);
    expect(authorize.searchParams.get('scope')?.split(' ')).toContain('offline_access');
    expect(authorize.searchParams.get('prompt')).toBeNull();

    const callback = await browserSignIn(authorize.href, user.username, user.password, server.issuer);
    expect(callback.origin + callback.pathname).toBe(`${APP}/callback`);
    const done = await app.fetch(callback.pathname + callback.search);
    expect(done.status, await done.clone().text()).toBe(302);
    const first = decodeJwt(app.cookies.get('oidc-auth')!);
    expect(first.rtk).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Past the middleware's refresh interval: it redeems the refresh token at /token and rotates its session.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + (REFRESH_INTERVAL_SECONDS + 5) * 1000 });
    const later = await app.fetch('/');
    expect(later.status, await later.clone().text()).toBe(200);
    // Its default claims hook reads sub and email from the id_token; edge-oidc puts email there only when asked for.
    expect(await later.json()).toMatchObject({ sub: first.sub });
    const second = decodeJwt(app.cookies.get('oidc-auth')!);
    expect(second.rtk).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.rtk).not.toBe(first.rtk);
    expect(second.rtkexp).toBeGreaterThan(first.rtkexp as number);
  });
});
