// End to end: a client metadata document served by a local HTTP server, used as client_id against wrangler dev in
// dev mode (DEV_MODE=true allows http://localhost documents), driven by openid-client with PKCE.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, hiddenField, startDevServer, type DevServer } from './helpers/dev-server.ts';

let server: DevServer;
let documents: Server;
let documentUrl: string;
let served = 0;
const user = { username: 'cimd-alice', password: 'cimd-correct-horse-42', email: 'alice@example.com', name: 'Alice CIMD' };

beforeAll(async () => {
  documents = createServer((req, res) => {
    if (req.url !== '/oauth/client.json') {
      res.writeHead(404).end();
      return;
    }
    served++;
    const doc = { client_id: documentUrl, client_name: 'Local MCP client', redirect_uris: ['http://127.0.0.1/callback'], token_endpoint_auth_method: 'none' };
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'max-age=300' }).end(JSON.stringify(doc));
  });
  await new Promise<void>((resolve) => documents.listen(0, '127.0.0.1', resolve));
  documentUrl = `http://localhost:${(documents.address() as AddressInfo).port}/oauth/client.json`;
  server = await startDevServer({ vars: { DEV_MODE: 'true' } });
  await server.addUser(user);
});

afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => documents?.close(resolve));
});

/** What a person does in a browser: the login form, then the consent page these clients always get. */
async function signInAndAllow(authorizationUrl: URL): Promise<{ callback: URL; consentHtml: string }> {
  const browser = new Browser();
  const page = await browser.fetch(authorizationUrl.href);
  expect(page.status).toBe(200);
  const login = await browser.post(`${server.issuer}/login`, { tx: hiddenField(await page.text()), username: user.username, password: user.password }, server.issuer);
  expect(login.status).toBe(200);
  const consentHtml = await login.text();
  const allowed = await browser.post(`${server.issuer}/consent`, { tx: hiddenField(consentHtml), decision: 'allow' }, server.issuer);
  expect(allowed.status).toBe(303);
  return { callback: new URL(allowed.headers.get('Location')!), consentHtml };
}

describe('a client metadata document as client_id, under wrangler dev', () => {
  it('runs the code flow with PKCE, a loopback port the document does not name, and a refresh', async () => {
    const config = await oidc.discovery(new URL(server.issuer), documentUrl, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    expect(config.serverMetadata().client_id_metadata_document_supported).toBe(true);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const redirectUri = 'http://127.0.0.1:53682/callback';
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: 'openid profile offline_access', state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const { callback, consentHtml } = await signInAndAllow(url);
    expect(consentHtml).toContain('Local MCP client');
    expect(consentHtml).toContain(`from <strong>localhost:${(documents.address() as AddressInfo).port}</strong>`);
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.claims()!.aud).toBe(documentUrl);
    expect(tokens.refresh_token).toBeDefined();
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).toBeDefined();
    expect(served).toBe(1);
  });

  it('refuses a document URL the local server does not serve, on an error page', async () => {
    const missing = documentUrl.replace('client.json', 'missing.json');
    const query = new URLSearchParams({
      response_type: 'code', client_id: missing, redirect_uri: 'http://127.0.0.1/callback', scope: 'openid',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
    });
    const res = await fetch(`${server.issuer}/authorize?${query}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('answered HTTP 404');
  });

  it('runs under the global_fetch_strictly_public flag, which refuses names that resolve to private addresses', () => {
    // A Worker cannot see the address it connects to; the runtime checks it (docs/security.md).
    const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');
    expect(/^compatibility_flags = \[.*"global_fetch_strictly_public".*\]$/m.test(toml)).toBe(true);
  });
});
