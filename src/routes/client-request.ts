// Client authentication shared by /token, /revoke, /introspect and /device_authorization, with its audit.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { authenticateClient, readClientCredentials } from '../oauth/client-auth.ts';
import { OAuthError } from '../oauth/errors.ts';
import type { RequestParams } from '../oauth/params.ts';
import { loadClient, type Client } from '../store/clients.ts';

export async function authenticateRequestClient(c: Context<AppEnv>, params: RequestParams): Promise<Client> {
  const credentials = readClientCredentials(c.req.header('Authorization'), params);
  try {
    return await authenticateClient(credentials, (id) => loadClient(c.env.DB, id));
  } catch (err) {
    if (err instanceof OAuthError) {
      recordAudit(c, { type: 'client.auth.failure', outcome: 'failure', clientId: credentials.clientId.slice(0, 256), detail: err.description });
    }
    throw err;
  }
}
