// POST /token (RFC 6749 §3.2): authenticate the client, dispatch on grant_type, answer with no-store JSON.
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { authenticateRequestClient } from '../guards/client-request.ts';
import { OAuthError } from '../oauth/errors.ts';
import { exchangeAuthorizationCode } from '../oauth/grants/authorization-code.ts';
import { issueClientCredentials } from '../oauth/grants/client-credentials.ts';
import { exchangeDeviceCode } from '../oauth/grants/device-code.ts';
import { DEVICE_CODE_GRANT } from '../constants.ts';
import type { GrantContext } from '../oauth/grants/context.ts';
import { refreshTokens } from '../oauth/grants/refresh-token.ts';
import { RequestParams } from '../oauth/params.ts';
import { tokenResponseBody, type IssuedTokens } from '../oauth/tokens.ts';
import type { Client } from '../store/clients.ts';

type GrantHandler = (ctx: GrantContext, client: Client, params: RequestParams) => Promise<IssuedTokens>;

// The grants offered; discovery's grant_types_supported lists exactly these (RFC 9700 §2.4: no password grant).
const GRANTS: Record<string, GrantHandler> = {
  authorization_code: exchangeAuthorizationCode,
  refresh_token: refreshTokens,
  client_credentials: issueClientCredentials,
  [DEVICE_CODE_GRANT]: exchangeDeviceCode,
};

export function grantContext(c: Context<AppEnv>): GrantContext {
  return {
    services: c.get('services'),
    db: c.env.DB,
    kv: c.env.CODES,
    events: { record: (event) => recordAudit(c, event) },
    afterResponse: (promise) => c.executionCtx.waitUntil(promise.catch(() => undefined)),
  };
}

export const tokenRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const params = await RequestParams.fromForm(c.req.raw);
  const client = await authenticateRequestClient(c, params);
  const grantType = params.require('grant_type', 128);
  const handler = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
  if (!handler) throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported`);
  if (!client.grantTypes.includes(grantType)) throw new OAuthError('unauthorized_client', 'this client may not use this grant type');

  const tokens = await handler(grantContext(c), client, params).catch((err: unknown) => {
    if (err instanceof OAuthError) recordAudit(c, { type: 'token.failure', outcome: 'failure', clientId: client.clientId, detail: `${grantType} ${err.code}: ${err.description}` });
    throw err;
  });
  recordAudit(c, {
    type: grantType === 'refresh_token' ? 'token.refreshed' : 'token.issued', outcome: 'success',
    userId: tokens.userId, clientId: client.clientId, detail: `${grantType} ${tokens.scope.join(' ')}`,
  });
  return c.json(tokenResponseBody(tokens), 200, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
});
