// End to end beyond the first login: refresh, client credentials, device flow, revocation, introspection and
// logout, each driven by openid-client against wrangler dev.
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, hiddenField, startDevServer, type DevServer } from './helpers/dev-server.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const user = { username: 'e2e-bob', password: 'e2e-bob-password-77', email: 'bob@example.com', name: 'Bob E2E' };
const redirectUri = 'http://127.0.0.1:9/callback';
const postLogout = 'http://127.0.0.1:9/signed-out';
const SECRET = 'e2e-grants-secret-0123456789abcdefghijklmnopqrstuvwxyz';
let server: DevServer;
const insecure = { execute: [oidc.allowInsecureRequests] };

beforeAll(async () => {
  server = await startDevServer();
  await server.addUser(user);
  await server.addClient({ clientId: 'web', secret: SECRET, redirectUris: [redirectUri], authMethod: 'client_secret_post', postLogoutRedirectUris: [postLogout] });
  await server.addClient({ clientId: 'service', secret: SECRET, redirectUris: [], authMethod: 'client_secret_post', grantTypes: ['client_credentials'], scopes: ['reports:read'], audience: 'https://api.example.com' });
  await server.addClient({ clientId: 'tv', secret: null, redirectUris: [], grantTypes: [DEVICE_GRANT, 'refresh_token'] });
});

afterAll(async () => {
  await server?.stop();
});

/** A browser signing in with prompt=consent and allowing offline access. */
async function signInOffline(config: oidc.Configuration, browser: Browser) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: 'openid profile offline_access', prompt: 'consent', state: 'st',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const login = await browser.fetch(url.href);
  const consent = await browser.post(`${server.issuer}/login`, { tx: hiddenField(await login.text()), username: user.username, password: user.password }, server.issuer);
  const allowed = await browser.post(`${server.issuer}/consent`, { tx: hiddenField(await consent.text()), decision: 'allow' }, server.issuer);
  expect(allowed.status).toBe(303);
  return oidc.authorizationCodeGrant(config, new URL(allowed.headers.get('Location')!), { pkceCodeVerifier: verifier, expectedState: 'st' });
}

describe('openid-client: the other grants against wrangler dev', () => {
  it('refreshes with rotation, revokes, introspects, and logs out', async () => {
    const config = await oidc.discovery(new URL(server.issuer), 'web', SECRET, undefined, insecure);
    const browser = new Browser();
    const first = await signInOffline(config, browser);
    expect(first.refresh_token).toBeTruthy();
    const sub = first.claims()!.sub;

    const second = await oidc.refreshTokenGrant(config, first.refresh_token!);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.claims()!.sub).toBe(sub);
    await expect(oidc.refreshTokenGrant(config, first.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // Reuse revoked the family: the second token is gone too.
    await expect(oidc.refreshTokenGrant(config, second.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

    const third = await signInOffline(config, browser);
    const active = await oidc.tokenIntrospection(config, third.access_token);
    expect(active).toMatchObject({ active: true, client_id: 'web', sub });
    await oidc.tokenRevocation(config, third.access_token);
    expect((await oidc.tokenIntrospection(config, third.access_token)).active).toBe(false);
    await expect(oidc.fetchUserInfo(config, third.access_token, sub)).rejects.toThrow();

    const logoutUrl = oidc.buildEndSessionUrl(config, { id_token_hint: third.id_token!, post_logout_redirect_uri: postLogout, state: 'out' });
    const loggedOut = await browser.fetch(logoutUrl.href);
    expect(loggedOut.status).toBe(302);
    expect(loggedOut.headers.get('Location')).toBe(`${postLogout}?state=out`);
    // The session is over: the next authorization shows the login form again.
    const again = await browser.fetch(oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid', state: 'x' }).href);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('name="password"');
  });

  it('client credentials: an access token for the service audience, no id_token', async () => {
    const config = await oidc.discovery(new URL(server.issuer), 'service', SECRET, undefined, insecure);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'reports:read' });
    expect(tokens.id_token).toBeUndefined();
    expect(tokens.scope).toBe('reports:read');
    const introspected = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(introspected).toMatchObject({ active: true, sub: 'service', aud: 'https://api.example.com' });
  });

  it('device flow: the device polls while a browser approves on the verification page', async () => {
    const config = await oidc.discovery(new URL(server.issuer), 'tv', { token_endpoint_auth_method: 'none' }, oidc.None(), insecure);
    const device = await oidc.initiateDeviceAuthorization(config, { scope: 'openid profile offline_access' });
    const browser = new Browser();
    const polling = oidc.pollDeviceAuthorizationGrant(config, device);
    const codePage = await browser.fetch(device.verification_uri_complete!);
    expect(await codePage.text()).toContain(device.user_code);
    const login = await browser.post(`${server.issuer}/device`, { user_code: device.user_code }, server.issuer);
    const approve = await browser.post(`${server.issuer}/device/login`, { tx: hiddenField(await login.text()), username: user.username, password: user.password }, server.issuer);
    const done = await browser.post(`${server.issuer}/device/decision`, { tx: hiddenField(await approve.text()), decision: 'allow' }, server.issuer);
    expect(await done.text()).toContain('Device connected');
    const tokens = await polling;
    expect(tokens.claims()!.iss).toBe(server.issuer);
    expect(tokens.refresh_token).toBeTruthy();
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(info.preferred_username).toBe(user.username);
  });
});
