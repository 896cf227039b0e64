// RFC 7592 §2.2: what an update request must and must not carry, checked against the registration it replaces.
import { verifyClientSecret } from '../../crypto/digest.ts';
import type { Registration, RegistrationChanges } from '../../store/registrations.ts';
import { OAuthError } from '../errors.ts';
import type { MetadataObject } from './fields.ts';
import type { ClientMetadata } from './metadata.ts';

// RFC 7592 §2.2: provisioned by the server, never sent back by the client.
const SERVER_FIELDS = ['registration_access_token', 'registration_client_uri', 'client_secret_expires_at', 'client_id_issued_at'];

export async function checkUpdateRequest(body: MetadataObject, r: Registration): Promise<void> {
  if (body.client_id !== r.client.clientId) throw new OAuthError('invalid_client_metadata', 'client_id must be the registered client_id');
  const sent = SERVER_FIELDS.find((f) => Object.hasOwn(body, f));
  if (sent) throw new OAuthError('invalid_client_metadata', `${sent} must not be sent in an update (RFC 7592 §2.2)`);
  if (Object.hasOwn(body, 'client_secret') && body.client_secret !== null) {
    // RFC 7592 §2.2: a client_secret sent must be the current one; a client never chooses its own.
    const matches = typeof body.client_secret === 'string' && r.client.secretHash !== null && (await verifyClientSecret(body.client_secret, r.client.secretHash));
    if (!matches) throw new OAuthError('invalid_client_metadata', 'client_secret is not the current client secret');
  }
}

/**
 * Full replacement (RFC 7592 §2.2): omitted members fall back to their defaults, except the authentication
 * method, which cannot change (a public client would need a secret, a confidential one would lose it).
 */
export function replacementOf(m: ClientMetadata, r: Registration): RegistrationChanges {
  if (m.tokenEndpointAuthMethod !== null && m.tokenEndpointAuthMethod !== r.client.tokenEndpointAuthMethod) {
    throw new OAuthError('invalid_client_metadata', 'token_endpoint_auth_method cannot change; register a new client');
  }
  return {
    name: m.name, grantTypes: m.grantTypes, scopes: m.scopes, redirectUris: m.redirectUris,
    postLogoutRedirectUris: m.postLogoutRedirectUris, idTokenSignedResponseAlg: m.idTokenSignedResponseAlg, extras: m.extras,
  };
}
