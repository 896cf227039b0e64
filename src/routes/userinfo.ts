// GET and POST /userinfo (OIDC Core §5.3): a Bearer access token in, the scoped claims out.
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import { verifyAccessToken } from '../crypto/jwt.ts';
import type { AppEnv } from '../env.ts';
import { bearerChallenge, OAuthError } from '../oauth/errors.ts';
import { claimsForScopes } from '../oauth/claims.ts';
import { isFormRequest, readForm } from '../oauth/params.ts';
import { replicaReader } from '../store/db.ts';
import { findUserForToken } from '../store/tokens.ts';

function invalidToken(c: Context<AppEnv>, description: string): OAuthError {
  const err = new OAuthError('invalid_token', description);
  return err.withChallenge(bearerChallenge(c.get('services').config.issuer, err));
}

// RFC 6750 §2.1 (header, scheme case-insensitive) and §2.2 (form body); never the query string.
async function readBearerToken(c: Context<AppEnv>): Promise<string> {
  const header = c.req.header('Authorization');
  let bodyToken: string | null = null;
  if (c.req.method === 'POST' && isFormRequest(c.req.raw)) {
    const values = (await readForm(c.req.raw)).getAll('access_token');
    if (values.length > 1) throw new OAuthError('invalid_request', 'access_token must not be repeated');
    bodyToken = values[0] || null;
  }
  const match = header ? /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header) : null;
  if (header && !match) throw invalidToken(c, 'the Authorization header is not a Bearer token');
  if (match && bodyToken) throw new OAuthError('invalid_request', 'send the access token only once');
  const token = match?.[1] ?? bodyToken;
  if (!token) throw invalidToken(c, 'an access token is required');
  return token;
}

async function userinfo(c: Context<AppEnv>) {
  const { keys, config } = c.get('services');
  const token = await readBearerToken(c);
  // RFC 9700 §4.9: only tokens meant for userinfo, i.e. naming the issuer among their audiences.
  const claims = await verifyAccessToken(keys, config.issuer, token, config.issuer);
  if (!claims) throw invalidToken(c, 'the access token is invalid or expired');
  // From a replica: revocation and disabling reach /userinfo within the replica lag (docs/storage.md).
  const { user, revoked } = await findUserForToken(replicaReader(c.env.DB), claims.sub!, claims.jti!);
  if (revoked || !user || user.disabled) throw invalidToken(c, 'the access token has been revoked');
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  if (!scopes.includes('openid')) {
    const err = new OAuthError('insufficient_scope', 'the access token lacks the openid scope');
    throw err.withChallenge(bearerChallenge(config.issuer, err));
  }
  return c.json(claimsForScopes(user, scopes), 200, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}

export const userinfoRoutes = new Hono<AppEnv>().get('/', userinfo).post('/', userinfo);
