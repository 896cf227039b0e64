// Our side of the upstream's code flow (oauth4webapi, nothing hand-rolled): the redirect out, then the callback's
// checks (state, iss), the code exchange with PKCE, id_token validation (JWKS signature, iss, aud, exp, nonce).
import {
  AuthorizationResponseError, authorizationCodeGrantRequest, calculatePKCECodeChallenge, ClientSecretBasic,
  ClientSecretPost, generateRandomCodeVerifier, generateRandomNonce, generateRandomState, getValidatedIdTokenClaims,
  processAuthorizationCodeResponse, processUserInfoResponse, userInfoRequest, validateApplicationLevelSignature, validateAuthResponse,
  type AuthorizationServer, type Client, type ClientAuth,
} from 'oauth4webapi';
import type { UpstreamProvider } from '../store/upstream-providers.ts';
import { fetchGithubIdentity } from './github.ts';
import { UpstreamUnavailableError } from './http.ts';
import { identityFromClaims, keptTokens, type UpstreamIdentity } from './identity.ts';
import { requestOptions } from './server.ts';

/** The upstream answered the user's visit with an error (RFC 6749 §4.1.2.1): its code only, never its text. */
export class UpstreamDeniedError extends Error {
  readonly code: string;
  constructor(code: string) {
    super(`upstream error ${code}`);
    this.code = code;
  }
}

/** The callback failed a check (state, iss, nonce, signature, audience...): an attack or a broken upstream. */
export class UpstreamRejectedError extends Error {}

export interface OutboundParams {
  state: string;
  nonce: string;
  verifier: string;
}

/** The authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1) and what the callback checks it with. */
export async function outboundRequest(p: UpstreamProvider, server: AuthorizationServer, redirectUri: string): Promise<OutboundParams & { url: URL }> {
  const [state, nonce, verifier] = [generateRandomState(), generateRandomNonce(), generateRandomCodeVerifier()];
  const query: Record<string, string> = {
    client_id: p.clientId, redirect_uri: redirectUri, response_type: 'code', scope: p.scopes.join(' '), state,
    code_challenge: await calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    ...(p.kind === 'github' ? {} : { nonce }),
    // Google: a Workspace domain to pre-select (hd is re-checked on the id_token, this is only a hint).
    ...(p.kind === 'google' && p.allowedDomains.length === 1 ? { hd: p.allowedDomains[0]! } : {}),
  };
  const url = new URL(server.authorization_endpoint ?? '');
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return { state, nonce, verifier, url };
}

// Google and Microsoft list client_secret_post and basic; a generic provider is asked with what it publishes.
function clientAuth(server: AuthorizationServer, secret: string): ClientAuth {
  const methods = server.token_endpoint_auth_methods_supported;
  return methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post') ? ClientSecretPost(secret) : ClientSecretBasic(secret);
}

async function oidcIdentity(
  p: UpstreamProvider, server: AuthorizationServer, client: Client, secret: string, callback: URLSearchParams, redirectUri: string, flow: OutboundParams,
): Promise<UpstreamIdentity> {
  const options = requestOptions(p);
  const response = await authorizationCodeGrantRequest(server, client, clientAuth(server, secret), callback, redirectUri, flow.verifier, options);
  const tokens = await processAuthorizationCodeResponse(server, client, response, { expectedNonce: flow.nonce, requireIdToken: true });
  // Over TLS the signature is optional to oauth4webapi; we check it against the JWKS anyway (issue 15, OIDC Core §3.1.3.7).
  await validateApplicationLevelSignature(server, response, options);
  const claims: Record<string, unknown> = { ...getValidatedIdTokenClaims(tokens)! };
  if (claims.email === undefined && server.userinfo_endpoint) {
    const info = await processUserInfoResponse(server, client, String(claims.sub), await userInfoRequest(server, client, tokens.access_token, options));
    // The id_token's own claims (iss, sub, amr) win; userinfo only fills in the profile.
    for (const key of ['email', 'email_verified', 'name', 'picture', 'preferred_username']) claims[key] ??= info[key];
  }
  return { ...identityFromClaims(p, claims), tokens: keptTokens(tokens) };
}

/** Checks the callback and exchanges its code; throws UpstreamDeniedError, UpstreamUnavailableError or UpstreamRejectedError. */
export async function completeUpstream(
  p: UpstreamProvider, server: AuthorizationServer, secret: string, callbackUrl: URL, redirectUri: string, flow: OutboundParams,
): Promise<UpstreamIdentity> {
  const client: Client = { client_id: p.clientId };
  try {
    const callback = validateAuthResponse(server, client, callbackUrl, flow.state);
    if (p.kind === 'github') return await fetchGithubIdentity(p, server, client, secret, callback, redirectUri, flow.verifier);
    return await oidcIdentity(p, server, client, secret, callback, redirectUri, flow);
  } catch (error) {
    if (error instanceof AuthorizationResponseError) throw new UpstreamDeniedError(/^[\x20-\x7e]{1,64}$/.test(error.error) ? error.error : 'error');
    if (error instanceof UpstreamUnavailableError || error instanceof UpstreamDeniedError) throw error;
    if (error instanceof Error && error.cause instanceof UpstreamUnavailableError) throw error.cause;
    throw new UpstreamRejectedError(error instanceof Error ? error.message : 'upstream response refused', { cause: error });
  }
}
