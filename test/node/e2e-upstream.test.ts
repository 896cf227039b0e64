// Sign in with an upstream provider, end to end: a second edge-oidc under wrangler dev is the upstream (127.0.0.1,
// its own port and state; ours is on localhost so each keeps its cookies), plus a local test double of GitHub.
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataKeys } from '../../src/crypto/data-key.ts';
import { sealClientSecret } from '../../src/upstream/secret.ts';
import { hiddenField, startDevServer, type DevServer } from './helpers/dev-server.ts';
import { startGithubDouble, type GithubDouble } from './helpers/github-double.ts';
import { freePort } from '../../scripts/lib/net.ts';

const SLOW = 300_000;
const APP_REDIRECT = 'http://127.0.0.1:9/callback';
const APP_SECRET = 'e2e-upstream-app-secret-0123456789abcdefghijklmnop';
const UP_SECRET = 'e2e-upstream-client-secret-0123456789abcdefghijkl';
let up: DevServer;
let down: DevServer;
let github: GithubDouble;

/** A browser: cookies kept per host name (RFC 6265 §8.5: ports do not separate them), redirects followed by hand. */
class Jar {
  cookies = new Map<string, Map<string, string>>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const host = new URL(url).hostname;
    const mine = this.cookies.get(host) ?? new Map<string, string>();
    this.cookies.set(host, mine);
    const headers = new Headers(init.headers);
    if (mine.size) headers.set('Cookie', [...mine].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (value === '' || /max-age=0/i.test(line)) mine.delete(name);
      else mine.set(name, value);
    }
    return res;
  }

  post(url: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: new URL(url).origin }, body: new URLSearchParams(fields) });
  }

  /** Follows redirects until one leaves for the app (returned) or a page answers. */
  async follow(res: Response): Promise<Response | URL> {
    for (let hops = 0; hops < 10 && res.status >= 300 && res.status < 400; hops++) {
      const next = new URL(res.headers.get('Location')!, res.url || undefined);
      if (next.href.startsWith(APP_REDIRECT)) return next;
      res = await this.fetch(next.href);
    }
    return res;
  }
}

async function addProvider(name: string, kind: string, issuer: string, clientId: string, secret: string) {
  const sealed = await sealClientSecret(await importDataKeys(down.secrets.DATA_ENCRYPTION_KEY!), name, secret);
  const scopes = kind === 'github' ? '["read:user","user:email"]' : '["openid","email","profile"]';
  await down.execute(`INSERT INTO upstream_providers (name, kind, issuer, client_id, client_secret, scopes, trust_email, created_at, updated_at)
    VALUES ('${name}', '${kind}', '${issuer}', '${clientId}', '${sealed}', '${scopes}', 1, 1, 1)`);
}

/** Our /authorize, then a provider's button; returns where the journey ends: the app (a URL) or a page. */
async function signInWith(jar: Jar, provider: string, upstreamCredentials: { username: string; password: string } | null) {
  const page = await jar.fetch(`${down.issuer}/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'app', redirect_uri: APP_REDIRECT, scope: 'openid profile email', state: 's' })}`);
  const html = await page.text();
  expect(html).toContain(`Sign in with ${provider.charAt(0).toUpperCase()}${provider.slice(1)}`);
  let res = await jar.follow(await jar.post(`${down.issuer}/upstream/start`, { tx: hiddenField(html), provider }));
  if (res instanceof Response && res.status === 200 && upstreamCredentials && res.url.startsWith(up.issuer)) {
    const login = await res.text();
    res = await jar.follow(await jar.post(`${up.issuer}/login`, { tx: hiddenField(login), ...upstreamCredentials }));
  }
  return res;
}

async function claimsFor(redirect: Response | URL): Promise<Record<string, unknown>> {
  expect(redirect).toBeInstanceOf(URL);
  const config = await oidc.discovery(new URL(down.issuer), 'app', APP_SECRET, undefined, { execute: [oidc.allowInsecureRequests] });
  const tokens = await oidc.authorizationCodeGrant(config, redirect as URL, { expectedState: 's' });
  const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
  return { ...info, ...tokens.claims() };
}

beforeAll(async () => {
  [up, down] = await Promise.all([startDevServer(), startDevServer({ issuerHost: 'localhost', vars: { SIGNUP: 'open' } })]);
  github = await startGithubDouble('gh-client', 'gh-secret');
  await up.addUser({ username: 'alice', password: 'alice-upstream-password-1', email: 'alice@example.org', name: 'Alice Up' });
  await up.addUser({ username: 'carol-up', password: 'carol-upstream-password-1', email: 'carol@example.org', name: 'Carol Up' });
  await down.addUser({ username: 'carol', password: 'carol-local-password-1', email: 'carol@example.org', name: 'Carol' });
  await up.addClient({ clientId: 'downstream', secret: UP_SECRET, redirectUris: [`${down.issuer}/upstream/upstream/callback`] });
  await down.addClient({ clientId: 'app', secret: APP_SECRET, redirectUris: [APP_REDIRECT], authMethod: 'client_secret_post' });
  await addProvider('upstream', 'oidc', up.issuer, 'downstream', UP_SECRET);
  await addProvider('github', 'github', github.origin, 'gh-client', 'gh-secret');
  await addProvider('gone', 'oidc', `http://127.0.0.1:${await freePort()}`, 'x', 'y');
}, SLOW);

afterAll(async () => {
  await Promise.all([up?.stop(), down?.stop(), github?.stop()]);
});

describe('upstream sign-in against a real edge-oidc upstream', () => {
  it('creates an account just in time, then signs the same upstream account into it next time', async () => {
    const jar = new Jar();
    const first = await claimsFor(await signInWith(jar, 'upstream', { username: 'alice', password: 'alice-upstream-password-1' }));
    expect(first).toMatchObject({ idp: 'upstream', email: 'alice@example.org', email_verified: true, name: 'Alice Up', preferred_username: 'alice' });
    jar.cookies.delete('localhost');
    // The upstream's own session answers at once this time: no password.
    const again = await claimsFor(await signInWith(jar, 'upstream', null));
    expect(again.sub).toBe(first.sub);
    const rows = await down.execute("SELECT COUNT(*) AS n FROM upstream_links WHERE provider = 'upstream'");
    expect(rows).toEqual([{ n: 1 }]);
  }, SLOW);

  it('links an existing account only after proof, signs in through the link next time, and unlinks', async () => {
    const carolUp = { username: 'carol-up', password: 'carol-upstream-password-1' };
    const refused = await signInWith(new Jar(), 'upstream', carolUp);
    expect(refused).toBeInstanceOf(Response);
    expect(await (refused as Response).text()).toContain('An account with this email address already exists');

    // Proof: carol signs in to her account here with her password, then links the upstream from /account.
    const jar = new Jar();
    const accountLogin = await jar.fetch(`${down.issuer}/account`);
    const signedIn = await jar.post(`${down.issuer}/login`, { tx: hiddenField(await accountLogin.text()), username: 'carol', password: 'carol-local-password-1' });
    expect(signedIn.headers.get('Location')).toBe('/account');
    let res = await jar.follow(await jar.post(`${down.issuer}/account/linked/link`, { provider: 'upstream' }));
    res = await jar.follow(await jar.post(`${up.issuer}/login`, { tx: hiddenField(await (res as Response).text()), ...carolUp }));
    expect((res as Response).url).toBe(`${down.issuer}/account`);
    expect(await (res as Response).text()).toContain('Unlink');

    const viaLink = await claimsFor(await signInWith(new Jar(), 'upstream', carolUp));
    expect(viaLink).toMatchObject({ preferred_username: 'carol', idp: 'upstream' });

    const page = await (await jar.fetch(`${down.issuer}/account`)).text();
    const unlinked = await jar.post(`${down.issuer}/account/linked/unlink`, { issuer: hiddenField(page, 'issuer'), subject: hiddenField(page, 'subject') });
    expect(unlinked.status).toBe(303);
    expect(await down.execute("SELECT COUNT(*) AS n FROM upstream_links l JOIN users u ON u.id = l.user_id WHERE u.username = 'carol'")).toEqual([{ n: 0 }]);
  }, SLOW);

  it('signs in through the GitHub test double (OAuth 2.0 + /user + /user/emails)', async () => {
    const claims = await claimsFor(await signInWith(new Jar(), 'github', null));
    expect(claims).toMatchObject({ idp: 'github', email: 'octocat@github.example', email_verified: true, name: 'The Octocat', preferred_username: 'octocat' });
  }, SLOW);

  it('answers an unreachable upstream with a friendly page and Retry-After', async () => {
    const res = await signInWith(new Jar(), 'gone', null);
    expect(res).toBeInstanceOf(Response);
    const page = res as Response;
    expect(page.status).toBe(503);
    expect(page.headers.get('Retry-After')).toBe('30');
    expect(await page.text()).toContain('Signing in with Gone is not possible right now');
  }, SLOW);
});
