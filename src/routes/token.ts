// POST /token (RFC 6749 §3.2): authenticate the client, dispatch on grant_type, answer with no-store JSON.
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { authenticateClient, readClientCredentials } from '../oauth/client-auth.ts';
import { OAuthError } from '../oauth/errors.ts';
import { exchangeAuthorizationCode } from '../oauth/grants/authorization-code.ts';
import { RequestParams } from '../oauth/params.ts';
import { loadClient } from '../store/clients.ts';
import { deleteCode } from '../store/codes.ts';

export const tokenRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const services = c.get('services');
  const params = await RequestParams.fromForm(c.req.raw);
  const credentials = readClientCredentials(c.req.header('Authorization'), params);
  let client;
  try {
    client = await authenticateClient(credentials, (id) => loadClient(c.env.DB, id));
  } catch (err) {
    if (err instanceof OAuthError) recordAudit(c, { type: 'client.auth.failure', outcome: 'failure', clientId: credentials.clientId.slice(0, 256), detail: err.description });
    throw err;
  }
  const grantType = params.require('grant_type', 128);
  if (grantType !== 'authorization_code') {
    // RFC 9700 §2.4: the password grant is not offered; neither is anything else not advertised.
    throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported`);
  }
  if (!client.grantTypes.includes(grantType)) throw new OAuthError('unauthorized_client', 'this client may not use this grant type');

  const exchange = await exchangeAuthorizationCode(services, { db: c.env.DB, kv: c.env.CODES }, client, params, {
    onReplay: (userId) => recordAudit(c, { type: 'code.replay', outcome: 'failure', userId, clientId: client.clientId, detail: 'tokens from the first redemption revoked' }),
  }).catch((err: unknown) => {
    if (err instanceof OAuthError) recordAudit(c, { type: 'token.failure', outcome: 'failure', clientId: client.clientId, detail: `${err.code}: ${err.description}` });
    throw err;
  });
  c.executionCtx.waitUntil(deleteCode(c.env.CODES, exchange.codeHash).catch(() => undefined));
  recordAudit(c, { type: 'code.redeemed', outcome: 'success', userId: exchange.userId, clientId: client.clientId });
  recordAudit(c, { type: 'token.issued', outcome: 'success', userId: exchange.userId, clientId: client.clientId, detail: exchange.scope.join(' ') });

  const { tokens } = exchange;
  return c.json(
    {
      access_token: tokens.accessToken,
      token_type: 'Bearer',
      expires_in: tokens.expiresIn,
      ...(tokens.idToken ? { id_token: tokens.idToken } : {}),
      scope: exchange.scope.join(' '),
    },
    200,
    { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
  );
});
