// POST /revoke (RFC 7009): authenticated clients revoke their own tokens; unknown tokens still get 200.
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { changedClientError } from '../oauth/client-auth.ts';
import { RequestParams } from '../oauth/params.ts';
import { identifyToken, revokePresentedToken } from '../oauth/token-state.ts';
import { authenticateRequestClient } from '../guards/client-request.ts';

export const revokeRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const params = await RequestParams.fromForm(c.req.raw);
  const client = await authenticateRequestClient(c, params);
  const token = params.require('token', 8192);
  params.get('token_type_hint', 64);
  const presented = await identifyToken(c.get('services'), c.env.DB, token);
  const { revoked, clientUnchanged } = await revokePresentedToken(c.env.DB, presented, client);
  if (!clientUnchanged) throw changedClientError(client.clientId);
  if (revoked) {
    const userId = presented.kind === 'refresh' ? presented.record.userId : presented.kind === 'access' ? presented.claims.sub : null;
    recordAudit(c, { type: 'token.revoked', outcome: 'success', userId, clientId: client.clientId, detail: presented.kind });
  }
  // §2.2: 200 whether or not the token was valid, so the response reveals nothing.
  return c.body(null, 200, { 'Cache-Control': 'no-store' });
});
