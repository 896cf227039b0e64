// Client authentication shared by /token, /revoke, /introspect and /device_authorization, with throttling and audit.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { isClientAuthThrottled, recordClientAuthFailure } from '../middleware/throttle.ts';
import { authenticateClient, BASIC_CHALLENGE, readClientCredentials } from '../oauth/client-auth.ts';
import { OAuthError } from '../oauth/errors.ts';
import type { RequestParams } from '../oauth/params.ts';
import { loadClient, type Client } from '../store/clients.ts';

export async function authenticateRequestClient(c: Context<AppEnv>, params: RequestParams): Promise<Client> {
  const credentials = readClientCredentials(c.req.header('Authorization'), params);
  const clientId = credentials.clientId.slice(0, 256);
  const hasSecret = credentials.method !== 'none';
  if (hasSecret && isClientAuthThrottled(c, clientId)) {
    recordAudit(c, { type: 'client.auth.throttled', outcome: 'failure', clientId });
    throw new OAuthError('invalid_client', 'too many failed authentication attempts; try again later').withChallenge(BASIC_CHALLENGE);
  }
  try {
    return await authenticateClient(credentials, (id) => loadClient(c.env.DB, id));
  } catch (err) {
    if (err instanceof OAuthError) {
      recordAudit(c, { type: 'client.auth.failure', outcome: 'failure', clientId, detail: err.description });
      if (hasSecret) await recordClientAuthFailure(c, clientId);
    }
    throw err;
  }
}
