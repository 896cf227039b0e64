// POST /introspect (RFC 7662): confidential clients and resource servers ask whether a token is live.
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { BASIC_CHALLENGE, changedClientError } from '../oauth/client-auth.ts';
import { OAuthError } from '../oauth/errors.ts';
import { RequestParams } from '../oauth/params.ts';
import { inspectToken } from '../oauth/token-state.ts';
import { isClientUnchanged } from '../store/client-check.ts';
import { authenticateRequestClient } from '../guards/client-request.ts';

const INACTIVE = { active: false };

export const introspectRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const { config } = c.get('services');
  const params = await RequestParams.fromForm(c.req.raw);
  const client = await authenticateRequestClient(c, params);
  // §4: the endpoint must not be a token-scanning oracle for anyone; public clients cannot authenticate.
  if (client.tokenEndpointAuthMethod === 'none') {
    throw new OAuthError('invalid_client', 'public clients cannot use introspection').withChallenge(BASIC_CHALLENGE);
  }
  const token = params.require('token', 8192);
  params.get('token_type_hint', 64);
  // The primary confirms the cached secret, in parallel with the token's own reads (docs/decisions.md).
  const [presented, clientUnchanged] = await Promise.all([inspectToken(c.get('services'), c.env.DB, token), isClientUnchanged(c.env.DB, client)]);
  if (!clientUnchanged) throw changedClientError(client.clientId);
  const headers = { 'Cache-Control': 'no-store' };
  if (presented.kind === 'access' && presented.active) {
    const { claims, user } = presented;
    return c.json({
      active: true, scope: claims.scope, client_id: claims.client_id, token_type: 'Bearer',
      exp: claims.exp, iat: claims.iat, sub: claims.sub, aud: claims.aud, iss: claims.iss, jti: claims.jti,
      ...(user ? { username: user.username } : {}),
    }, 200, headers);
  }
  // Refresh tokens are the client's own secret: only their owner learns anything about them.
  if (presented.kind === 'refresh' && presented.active && presented.record.clientId === client.clientId) {
    const { record } = presented;
    return c.json({
      active: true, scope: record.scope, client_id: record.clientId, token_type: 'refresh_token',
      exp: record.expiresAt, iat: record.createdAt, sub: record.userId, iss: config.issuer,
      // RFC 7662 §2.2: the resources (RFC 8707) its grant was given.
      ...(record.resources.length > 0 ? { aud: record.resources } : {}),
    }, 200, headers);
  }
  return c.json(INACTIVE, 200, headers);
});
