// id_token_hint (OIDC Core §3.1.2.1, RP-Initiated Logout §2): one of our id_tokens, issued to a registered client.
import { verifyIdTokenHint } from '../crypto/jwt.ts';
import type { KeySet } from '../crypto/keys.ts';
import type { Client } from '../store/clients.ts';

export interface IdTokenHint {
  sub: string;
  /** The client the id_token was issued to. */
  client: Client;
}

/** The party the id_token was issued to: azp when present (OIDC Core §2), else its one audience. */
function issuedTo(aud: unknown, azp: unknown): string | null {
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
  if (typeof azp === 'string') return audiences.includes(azp) ? azp : null;
  return audiences.length === 1 ? audiences[0]! : null;
}

/**
 * Verifies the hint and loads the client it was issued to; null when either fails. `known` is a client the
 * caller has loaded already (the /authorize requester), compared first so the usual hint costs no lookup.
 */
export async function readIdTokenHint(
  keys: KeySet,
  issuer: string,
  token: string,
  loadClient: (id: string) => Promise<Client | null>,
  known: Client | null = null,
): Promise<IdTokenHint | null> {
  const claims = await verifyIdTokenHint(keys, issuer, token);
  const clientId = claims ? issuedTo(claims.aud, claims.azp) : null;
  if (!claims?.sub || !clientId) return null;
  const client = known?.clientId === clientId ? known : await loadClient(clientId);
  return client ? { sub: claims.sub, client } : null;
}
