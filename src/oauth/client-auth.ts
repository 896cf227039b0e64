// Client authentication at the token endpoint (RFC 6749 §2.3): exactly one method, the registered one.
import { verifyClientSecret } from '../crypto/digest.ts';
import { forgetClient, type Client, type TokenEndpointAuthMethod } from '../store/clients.ts';
import { OAuthError } from './errors.ts';
import type { RequestParams } from './params.ts';

export const BASIC_CHALLENGE = 'Basic realm="edge-oidc", charset="UTF-8"';

export interface ClientCredentials {
  clientId: string;
  secret: string | null;
  method: TokenEndpointAuthMethod;
}

function invalidClient(description: string): OAuthError {
  return new OAuthError('invalid_client', description).withChallenge(BASIC_CHALLENGE);
}

/**
 * The primary's record says the client was deleted or its secret rotated after the record this isolate
 * cached: refused like a wrong secret (RFC 6749 §5.2), and the stale record dropped.
 */
export function changedClientError(clientId: string): OAuthError {
  forgetClient(clientId);
  return invalidClient('client authentication failed');
}

// RFC 6749 §2.3.1: client_id and secret are form-url-encoded before Basic encoding.
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

// Stateless between calls (no `stream` option), so one decoder serves every request.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function base64Bytes(encoded: string): Uint8Array {
  const binary = atob(encoded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function parseBasic(header: string): { clientId: string; secret: string } {
  const encoded = header.slice(6).trim();
  let decoded: string;
  try {
    decoded = strictUtf8.decode(base64Bytes(encoded));
  } catch {
    throw invalidClient('the Basic credentials are not valid base64');
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient('the Basic credentials have no colon');
  try {
    return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw invalidClient('the Basic credentials are not form-url-encoded');
  }
}

/** Reads which client is calling and how; more than one authentication method is refused. */
export function readClientCredentials(authorization: string | undefined, params: RequestParams): ClientCredentials {
  const bodyId = params.get('client_id', 256);
  const bodySecret = params.get('client_secret', 512);
  if (authorization !== undefined && /^basic /i.test(authorization)) {
    if (bodySecret !== undefined) throw new OAuthError('invalid_request', 'use only one client authentication method');
    const basic = parseBasic(authorization);
    if (bodyId !== undefined && bodyId !== basic.clientId) throw new OAuthError('invalid_request', 'client_id does not match the Authorization header');
    if (!basic.clientId) throw invalidClient('client_id is empty');
    return { clientId: basic.clientId, secret: basic.secret, method: 'client_secret_basic' };
  }
  if (authorization !== undefined) throw new OAuthError('invalid_request', 'unsupported Authorization scheme');
  if (bodyId === undefined) throw invalidClient('client authentication is required');
  if (bodySecret !== undefined) return { clientId: bodyId, secret: bodySecret, method: 'client_secret_post' };
  return { clientId: bodyId, secret: null, method: 'none' };
}

/** The client, if it exists, uses its registered method, and (confidential) presents its secret. */
export async function authenticateClient(
  credentials: ClientCredentials,
  loadClient: (id: string) => Promise<Client | null>,
): Promise<Client> {
  const client = await loadClient(credentials.clientId);
  if (!client) throw invalidClient('unknown client');
  if (client.tokenEndpointAuthMethod !== credentials.method) {
    throw invalidClient(`this client must authenticate with ${client.tokenEndpointAuthMethod}`);
  }
  if (credentials.method === 'none') return client;
  if (client.secretHash === null || credentials.secret === null || !(await verifyClientSecret(credentials.secret, client.secretHash))) {
    throw invalidClient('client authentication failed');
  }
  return client;
}
