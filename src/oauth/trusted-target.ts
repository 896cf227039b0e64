// Step 1 of the authorization request: the client and its redirect URI, trusted before any error may redirect.
import { MAX_REDIRECT_URI_CHARS, MAX_STATE_CHARS } from '../constants.ts';
import type { Client } from '../store/clients.ts';
import type { RequestParams } from './params.ts';
import { isClientRedirectUri } from './redirect-uri.ts';

/** Thrown before the redirect URI is trusted: rendered as an HTML page, never a redirect (§4.1.2.1). */
export class UntrustedRedirectError extends Error {
  readonly status = 400;
}

export interface TrustedTarget {
  client: Client;
  redirectUri: string;
  state: string | null;
}

function single(params: RequestParams, name: string, maxChars: number): string | undefined {
  try {
    return params.get(name, maxChars);
  } catch {
    throw new UntrustedRedirectError(`The ${name} parameter is repeated or too long.`);
  }
}

/** Step 1: the client and its redirect URI, by exact string comparison. */
export async function verifyClientAndRedirectUri(
  params: RequestParams,
  loadClient: (id: string) => Promise<Client | null>,
): Promise<TrustedTarget> {
  const clientId = single(params, 'client_id', 256);
  if (!clientId) throw new UntrustedRedirectError('The request has no client_id.');
  const client = await loadClient(clientId);
  if (!client) throw new UntrustedRedirectError('The client_id is not registered.');
  const redirectUri = single(params, 'redirect_uri', MAX_REDIRECT_URI_CHARS);
  // OIDC Core §3.1.2.1: redirect_uri is required.
  if (!redirectUri) throw new UntrustedRedirectError('The request has no redirect_uri.');
  if (!isClientRedirectUri(client, redirectUri)) {
    throw new UntrustedRedirectError('The redirect_uri is not registered for this client.');
  }
  let state: string | null = null;
  try {
    state = params.get('state', MAX_STATE_CHARS) ?? null;
  } catch {
    state = null; // reported by the next step, without echoing an oversized or repeated state
  }
  return { client, redirectUri, state };
}
