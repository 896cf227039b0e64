// POST /token (RFC 6749 §3.2): authenticate the client, dispatch on grant_type, answer with no-store JSON.
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { authenticateRequestClient } from '../guards/client-request.ts';
import { OAuthError } from '../oauth/errors.ts';
import type { GrantContext } from '../oauth/grants/context.ts';
import { findGrant } from '../oauth/grants/index.ts';
import { RequestParams } from '../oauth/params.ts';
import { tokenResponseBody } from '../oauth/tokens.ts';

function grantContext(c: Context<AppEnv>): GrantContext {
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
  const handler = findGrant(grantType);
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
