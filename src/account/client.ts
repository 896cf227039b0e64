// The provider as its own client: /account signs in through the same journey as any application, then comes back.
import type { AuthorizationRequest } from '../oauth/authorize-request.ts';
import type { Client } from '../store/clients.ts';

/** Not a registrable id (the CLI allows no ':'), so no stored client can take the account's place. */
export const ACCOUNT_CLIENT_ID = 'edge-oidc:account';
export const ACCOUNT_PATH = '/account';
/** Every change on /account needs a sign-in at most this old (issue 13: "within 5 minutes"). */
export const RECENT_AUTH_SECONDS = 300;

export function isAccountClient(clientId: string): boolean {
  return clientId === ACCOUNT_CLIENT_ID;
}

/** Built in code, never stored: first-party (no consent), its one redirect URI the account page itself. */
export function accountClient(issuer: string): Client {
  return {
    clientId: ACCOUNT_CLIENT_ID,
    secretHash: null,
    name: 'your account',
    tokenEndpointAuthMethod: 'none',
    grantTypes: ['authorization_code'],
    scopes: ['openid'],
    redirectUris: [issuer + ACCOUNT_PATH],
    postLogoutRedirectUris: [],
    idTokenSignedResponseAlg: 'RS256',
    audience: null,
    resources: [],
    firstParty: true,
    registeredBy: 'admin',
    mfaPolicy: null,
    createdAt: 0,
    updatedAt: 0,
  };
}

/**
 * The account page's own authorization request. `reauthenticate` names the signed-in user: prompt=login asks
 * for a fresh sign-in, and only that user may give it (the id_token_hint rule of OIDC Core §3.1.2.1).
 */
export function accountRequest(issuer: string, reauthenticate?: { userId: string; username: string }): AuthorizationRequest {
  return {
    clientId: ACCOUNT_CLIENT_ID,
    redirectUri: issuer + ACCOUNT_PATH,
    state: null,
    scope: ['openid'],
    nonce: null,
    codeChallenge: null,
    prompt: reauthenticate ? ['login'] : [],
    maxAge: null,
    loginHint: reauthenticate?.username ?? null,
    idTokenHintSub: reauthenticate?.userId ?? null,
    idTokenClaims: [],
    acr: null,
  };
}
