// The relying-party side, through openid-client: discovery, the authorization URL, the code exchange, logout.
import * as oidc from 'openid-client';
import type { GatewayConfig } from './config.ts';

/** What the gateway must remember between "Sign in" and /callback (kept in an encrypted cookie). */
export interface SignInTransaction {
  codeVerifier: string;
  state: string;
  nonce: string;
}

export interface SignedIn {
  sub: string;
  name: string | null;
  username: string | null;
  idToken: string;
  accessToken: string;
  scope: string;
  /** Unix seconds: when the access token, and so this session, expires. */
  expiresAt: number;
}

const SCOPE = 'openid profile email';

// One discovery per isolate. The resolved Configuration is plain data; a pending promise is not shared,
// because workerd does not let one request wait on I/O started by another.
let discovered: { key: string; config: oidc.Configuration } | undefined;

export async function providerConfiguration(cfg: GatewayConfig): Promise<oidc.Configuration> {
  const key = `${cfg.issuer} ${cfg.clientId}`;
  if (discovered?.key === key) return discovered.config;
  const config = await oidc.discovery(
    new URL(cfg.issuer),
    cfg.clientId,
    undefined,
    // The method the client is registered with (the CLI's default); edge-oidc accepts only that one.
    oidc.ClientSecretBasic(cfg.clientSecret),
    // http is only ever allowed for a provider on localhost (readConfig refuses it elsewhere).
    { execute: cfg.issuer.startsWith('http:') ? [oidc.allowInsecureRequests] : [] },
  );
  // Also verify the id_token's signature against the provider's JWKS, not only its claims.
  oidc.enableNonRepudiationChecks(config);
  discovered = { key, config };
  return config;
}

/** The authorization request: code flow with PKCE (S256), state and nonce. */
export async function startSignIn(config: oidc.Configuration, cfg: GatewayConfig, prompt?: 'login'): Promise<{ url: URL; transaction: SignInTransaction }> {
  const transaction = { codeVerifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: cfg.redirectUri,
    scope: SCOPE,
    code_challenge: await oidc.calculatePKCECodeChallenge(transaction.codeVerifier),
    code_challenge_method: 'S256',
    state: transaction.state,
    nonce: transaction.nonce,
    ...(prompt ? { prompt } : {}),
  });
  return { url, transaction };
}

/**
 * The callback: checks state and iss (RFC 9207), exchanges the code with the client secret and the
 * code_verifier, validates the id_token (signature, iss, aud, exp, nonce), then reads userinfo.
 */
export async function finishSignIn(config: oidc.Configuration, callbackUrl: URL, t: SignInTransaction): Promise<SignedIn> {
  const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: t.codeVerifier,
    expectedState: t.state,
    expectedNonce: t.nonce,
  });
  const claims = tokens.claims()!;
  const expiresIn = tokens.expiresIn() ?? 300;
  // OIDC Core §5.4: profile claims come from userinfo when an access token is issued; `sub` must match.
  const profile = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  return {
    sub: claims.sub,
    name: typeof profile.name === 'string' ? profile.name : null,
    username: typeof profile.preferred_username === 'string' ? profile.preferred_username : null,
    idToken: tokens.id_token!,
    accessToken: tokens.access_token,
    scope: tokens.scope ?? SCOPE,
    expiresAt: Math.floor(Date.now() / 1000) + expiresIn,
  };
}

/** OIDC RP-Initiated Logout: the provider ends its session and comes back to our registered URI. */
export function endSessionUrl(config: oidc.Configuration, cfg: GatewayConfig, idToken: string, state: string): URL {
  return oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: cfg.postLogoutRedirectUri, state });
}

export { AuthorizationResponseError, ResponseBodyError } from 'openid-client';
