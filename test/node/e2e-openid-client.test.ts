// End to end: wrangler dev over HTTP, driven by openid-client (a certified relying-party library).
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSignIn, startDevServer, type DevServer } from './helpers/dev-server.ts';

let server: DevServer;
const user = { username: 'e2e-alice', password: 'e2e-correct-horse-42', email: 'alice@example.com', name: 'Alice E2E' };
const redirectUri = 'http://127.0.0.1:9/callback';

beforeAll(async () => {
  server = await startDevServer();
  await server.addUser(user);
  await server.addClient({ clientId: 'e2e-confidential', secret: 'e2e-secret-0123456789abcdefghijklmnopqrstuvwxyz', redirectUris: [redirectUri] });
  await server.addClient({ clientId: 'e2e-post', secret: 'e2e-post-secret-0123456789abcdefghijklmnopqrstuvwxyz', redirectUris: [redirectUri], authMethod: 'client_secret_post' });
  await server.addClient({ clientId: 'e2e-public', secret: null, redirectUris: [redirectUri], idTokenAlg: 'ES256' });
});

afterAll(async () => {
  await server?.stop();
});

async function codeFlow(config: oidc.Configuration, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  const callback = await browserSignIn(url.href, user.username, user.password, server.issuer);
  return oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
}

describe('openid-client against wrangler dev', () => {
  it('discovers, signs in with PKCE, validates the id_token and reads userinfo (client_secret_basic)', async () => {
    // The registered method is the only one accepted; openid-client is told which one it is.
    const config = await oidc.discovery(new URL(server.issuer), 'e2e-confidential', undefined, oidc.ClientSecretBasic('e2e-secret-0123456789abcdefghijklmnopqrstuvwxyz'), {
      execute: [oidc.allowInsecureRequests],
    });
    expect(config.serverMetadata().issuer).toBe(server.issuer);
    const tokens = await codeFlow(config);
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(server.issuer);
    expect(claims.aud).toBe('e2e-confidential');
    expect(claims.sub).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(tokens.token_type).toBe('bearer');
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info).toMatchObject({ sub: claims.sub, email: user.email, email_verified: true, name: user.name, preferred_username: user.username });
  });

  it('works with nothing but issuer, client id and secret (library default client_secret_post)', async () => {
    const config = await oidc.discovery(new URL(server.issuer), 'e2e-post', 'e2e-post-secret-0123456789abcdefghijklmnopqrstuvwxyz', undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    const tokens = await codeFlow(config);
    expect(tokens.claims()!.aud).toBe('e2e-post');
  });

  it('asks for acr_values and validates the acr and amr it gets', async () => {
    const config = await oidc.discovery(new URL(server.issuer), 'e2e-post', 'e2e-post-secret-0123456789abcdefghijklmnopqrstuvwxyz', undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    const supported = config.serverMetadata().acr_values_supported;
    expect(supported).toEqual(['1', '2']);
    // acr_values is voluntary (OIDC Core §3.1.2.1): the id_token states the level reached, one the client accepts.
    const claims = (await codeFlow(config, { acr_values: '2 1' })).claims()!;
    expect(supported).toContain(claims.acr);
    expect(['2', '1']).toContain(claims.acr);
    expect(claims.acr).toBe('1');
    expect(claims.amr).toEqual(['pwd']);
  });

  it('refuses a secret sent with a method the client did not register (invalid_client)', async () => {
    const config = await oidc.discovery(new URL(server.issuer), 'e2e-confidential', 'e2e-secret-0123456789abcdefghijklmnopqrstuvwxyz', undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    await expect(codeFlow(config)).rejects.toMatchObject({ response: { status: 401 } });
  });

  it('works as a public client (PKCE, token_endpoint_auth_method none, ES256 id_token)', async () => {
    const config = await oidc.discovery(new URL(server.issuer), 'e2e-public', { token_endpoint_auth_method: 'none', id_token_signed_response_alg: 'ES256' }, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
    const tokens = await codeFlow(config);
    expect(tokens.claims()!.aud).toBe('e2e-public');
    expect(tokens.id_token!.length).toBeGreaterThan(0);
  });

  it('refuses a replayed code through the library with invalid_grant', async () => {
    const config = await oidc.discovery(new URL(server.issuer), 'e2e-post', 'e2e-post-secret-0123456789abcdefghijklmnopqrstuvwxyz', undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's1',
    });
    const callback = await browserSignIn(url.href, user.username, user.password, server.issuer);
    await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 's1' });
    await expect(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 's1' })).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});
