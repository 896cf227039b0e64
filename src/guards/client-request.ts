// Client authentication at /token, /revoke, /introspect and /device_authorization, with failure throttling and audit.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { authenticateClient, readClientCredentials } from '../oauth/client-auth.ts';
import { OAuthError } from '../oauth/errors.ts';
import type { RequestParams } from '../oauth/params.ts';
import { clientLoader } from '../clients/resolve.ts';
import { findClient, forgetClient, type Client } from '../store/clients.ts';
import { countClientAuthFailure } from './client-auth-throttle.ts';

// The one counter all unregistered client ids share per address: inventing ids makes no new rows.
const UNREGISTERED = '\u0000unregistered';

/**
 * The secret is compared first (one SHA-256, constant time), so a correct secret succeeds whatever the
 * counters say (docs/security.md). A request that names no client counts against nobody.
 */
export async function authenticateRequestClient(c: Context<AppEnv>, params: RequestParams): Promise<Client> {
  const credentials = readClientCredentials(c.req.header('Authorization'), params);
  try {
    return await authenticateClient(credentials, clientLoader(c));
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    // The cache or the replica may still hold a secret rotated moments ago: the primary decides before a
    // failure counts, so a backend deployed with its new secret is never refused (docs/security.md).
    forgetClient(credentials.clientId);
    const stored = await findClient(c.env.DB, credentials.clientId);
    if (stored) {
      const fresh = await authenticateClient(credentials, async () => stored).catch(() => null);
      if (fresh) return fresh;
    }
    await recordClientAuthFailure(c, credentials.clientId.slice(0, 256), stored ? credentials.clientId : UNREGISTERED, err);
    throw err;
  }
}

/**
 * Up to the limit each failure is audited; past it the pair's failures carry Retry-After, and only the one
 * that crossed the limit is audited (as client.auth.throttled), so a guesser cannot flood the audit log.
 */
async function recordClientAuthFailure(c: Context<AppEnv>, clientId: string, counted: string, err: OAuthError): Promise<void> {
  const { retryAfterSeconds, crossedLimit } = await countClientAuthFailure(c, counted);
  if (retryAfterSeconds === null) {
    recordAudit(c, { type: 'client.auth.failure', outcome: 'failure', clientId, detail: err.description });
    return;
  }
  err.withRetryAfter(retryAfterSeconds);
  if (crossedLimit) recordAudit(c, { type: 'client.auth.throttled', outcome: 'failure', clientId, detail: 'failure limit reached for this client and address' });
}
