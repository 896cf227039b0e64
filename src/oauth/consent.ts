// When the user is asked for consent (OIDC Core §3.1.2.4, §11): the policy in docs/decisions.md, "Consent".
import type { Client } from '../store/clients.ts';
import type { AuthorizationRequest } from './authorize-request.ts';

type ConsentRequest = Pick<AuthorizationRequest, 'prompt' | 'scope'>;
type ConsentClient = Pick<Client, 'firstParty' | 'registeredBy'>;

/**
 * Clients that registered themselves (RFC 7591) or are named by a metadata document (CIMD) were vouched for
 * by nobody here: anyone can publish one, so a past "allow" or a first-party flag never skips the page.
 */
function alwaysAsks(client: ConsentClient): boolean {
  return client.registeredBy !== 'admin';
}

/** Whether the user's recorded consent must be read: only third-party clients without prompt=consent use it. */
export function usesRecordedConsent(client: ConsentClient, request: ConsentRequest): boolean {
  return !client.firstParty && !alwaysAsks(client) && !request.prompt.includes('consent');
}

/**
 * prompt=consent always asks. Otherwise first-party clients are not asked (an administrator vouched for them),
 * and third-party clients are asked unless the user has a recorded consent covering every scope of this request,
 * offline_access included (§11: consent to a refresh token is always obtained, on the page or before).
 */
export function mustAskConsent(client: ConsentClient, request: ConsentRequest, recorded: readonly string[] | null): boolean {
  if (request.prompt.includes('consent') || alwaysAsks(client)) return true;
  if (client.firstParty) return false;
  // A plain OAuth request may have no scope at all: no record means the user was never asked.
  if (recorded === null) return true;
  return !request.scope.every((s) => recorded.includes(s));
}

/**
 * The host the consent page names beside the client's self-chosen name: for a metadata-document client the
 * host that published it (its client_id URL), else where the code will be sent (the redirect URI's host).
 */
export function consentHost(client: Pick<Client, 'clientId' | 'registeredBy'>, redirectUri: string): string | null {
  try {
    return new URL(client.registeredBy === 'cimd' ? client.clientId : redirectUri).host || null;
  } catch {
    return null;
  }
}
