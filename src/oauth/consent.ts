// When the user is asked for consent (OIDC Core §3.1.2.4, §11): the policy in docs/decisions.md, "Consent".
import type { Client } from '../store/clients.ts';
import type { AuthorizationRequest } from './authorize-request.ts';

type ConsentRequest = Pick<AuthorizationRequest, 'prompt' | 'scope'>;

/** Whether the user's recorded consent must be read: only third-party clients without prompt=consent use it. */
export function usesRecordedConsent(client: Pick<Client, 'firstParty'>, request: ConsentRequest): boolean {
  return !client.firstParty && !request.prompt.includes('consent');
}

/**
 * prompt=consent always asks. Otherwise first-party clients are not asked (an administrator vouched for them),
 * and third-party clients are asked unless the user has a recorded consent covering every scope of this request,
 * offline_access included (§11: consent to a refresh token is always obtained, on the page or before).
 */
export function mustAskConsent(client: Pick<Client, 'firstParty'>, request: ConsentRequest, recorded: readonly string[] | null): boolean {
  if (request.prompt.includes('consent')) return true;
  if (client.firstParty) return false;
  // A plain OAuth request may have no scope at all: no record means the user was never asked.
  if (recorded === null) return true;
  return !request.scope.every((s) => recorded.includes(s));
}
