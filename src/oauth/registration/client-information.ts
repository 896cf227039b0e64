// What a registration answers (RFC 7591 §3.2.1, RFC 7592 §3): the client as registered, its registration
// access token and the URI that manages it; a client secret only when one was just issued.
import { CLIENT_SECRET_BYTES } from '../../constants.ts';
import { randomToken } from '../../crypto/random.ts';
import type { NewClient, TokenEndpointAuthMethod } from '../../store/clients.ts';
import type { Registration } from '../../store/registrations.ts';
import { OAuthError } from '../errors.ts';
import type { ClientMetadata } from './metadata.ts';

const CLIENT_ID_BYTES = 16;
export const REGISTRATION_TOKEN_BYTES = 32;

/**
 * Open registration admits public clients only. A request that names no method gets `none` there (RFC 7591
 * §3.2.1 lets the server replace a default) and RFC 7591 §2's client_secret_basic otherwise.
 */
export function chooseAuthMethod(asked: TokenEndpointAuthMethod | null, confidentialAllowed: boolean): TokenEndpointAuthMethod {
  if (confidentialAllowed) return asked ?? 'client_secret_basic';
  if (asked !== null && asked !== 'none') {
    throw new OAuthError('invalid_client_metadata', 'open registration admits public clients only: token_endpoint_auth_method none');
  }
  return 'none';
}

/** A random id that starts with a letter or digit, so the admin CLI never reads it as an option. */
function generateClientId(): string {
  for (;;) {
    const id = randomToken(CLIENT_ID_BYTES);
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}

export function generateClientSecret(method: TokenEndpointAuthMethod): string | null {
  return method === 'none' ? null : randomToken(CLIENT_SECRET_BYTES);
}

/** The client a registration creates: third-party (its users always see consent), no audience of its own. */
export function newRegisteredClient(m: ClientMetadata, method: TokenEndpointAuthMethod, secretHash: string | null): NewClient {
  return {
    clientId: generateClientId(), secretHash, name: m.name, tokenEndpointAuthMethod: method,
    grantTypes: m.grantTypes, scopes: m.scopes, redirectUris: m.redirectUris, postLogoutRedirectUris: m.postLogoutRedirectUris,
    idTokenSignedResponseAlg: m.idTokenSignedResponseAlg, audience: null, firstParty: false,
  };
}

export function registrationClientUri(issuer: string, clientId: string): string {
  return `${issuer}/register/${encodeURIComponent(clientId)}`;
}

/** The client information response; `clientSecret` is set only when it was issued now (it is stored hashed). */
export function clientInformation(issuer: string, r: Registration, accessToken: string, clientSecret: string | null) {
  const { client } = r;
  const confidential = client.tokenEndpointAuthMethod !== 'none';
  return {
    client_id: client.clientId,
    ...(clientSecret !== null ? { client_secret: clientSecret } : {}),
    client_id_issued_at: client.createdAt,
    // RFC 7591 §3.2.1: 0, the secret does not expire.
    ...(confidential ? { client_secret_expires_at: 0 } : {}),
    registration_access_token: accessToken,
    registration_client_uri: registrationClientUri(issuer, client.clientId),
    client_name: client.name,
    redirect_uris: client.redirectUris,
    ...(client.postLogoutRedirectUris.length ? { post_logout_redirect_uris: client.postLogoutRedirectUris } : {}),
    grant_types: client.grantTypes,
    response_types: ['code'],
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    scope: client.scopes.join(' '),
    id_token_signed_response_alg: client.idTokenSignedResponseAlg,
    ...r.extras,
  };
}
