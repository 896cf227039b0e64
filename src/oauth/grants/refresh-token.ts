// grant_type=refresh_token (RFC 6749 §6, OIDC Core §12, RFC 9700 §4.14.2): rotate once, detect reuse.
import { REFRESH_TOKEN_BYTES } from '../../constants.ts';
import { digestToken } from '../../crypto/digest.ts';
import { randomToken } from '../../crypto/random.ts';
import type { Client } from '../../store/clients.ts';
import { nowSeconds } from '../../clock.ts';
import { revokeFamily, rotateRefreshToken } from '../../store/refresh-tokens.ts';
import { changedClientError } from '../client-auth.ts';
import { OAuthError } from '../errors.ts';
import type { RequestParams } from '../params.ts';
import { narrowScope, parseScope } from '../scopes.ts';
import { accessTokenExpiry, mintUserTokens, type IssuedTokens } from '../tokens.ts';
import type { GrantContext } from './context.ts';

export async function refreshTokens(ctx: GrantContext, client: Client, params: RequestParams): Promise<IssuedTokens> {
  const { services, db, events } = ctx;
  const presented = params.require('refresh_token', 256);
  const requestedScope = params.get('scope');
  const narrowed = requestedScope === undefined ? null : parseScope(requestedScope);
  const now = nowSeconds();
  const oldHash = await digestToken(presented);
  const newToken = randomToken(REFRESH_TOKEN_BYTES);
  const accessTokenJti = randomToken(16);

  const result = await rotateRefreshToken(db, {
    oldHash, newHash: await digestToken(newToken), clientId: client.clientId, clientSecretHash: client.secretHash, now,
    idleTtlSeconds: services.config.refreshTokenIdleTtlSeconds, accessTokenJti,
    accessTokenExpiresAt: accessTokenExpiry(services, now), requestedScope: narrowed,
  });
  if (!result.clientUnchanged) throw changedClientError(client.clientId);
  const previous = result.previous;
  // Another client's token is invalid_grant, not invalid_client: the client itself authenticated fine.
  if (!previous || previous.clientId !== client.clientId) throw new OAuthError('invalid_grant', 'the refresh token is invalid');
  const grantedScope = previous.scope.split(' ');
  if (!result.rotated) {
    const live = previous.usedAt === null && previous.revokedAt === null && previous.expiresAt > now;
    // A wider scope leaves the token unused (the batch's guard), so the client keeps it.
    if (live) narrowScope(requestedScope, grantedScope);
    if (previous.usedAt !== null && previous.revokedAt === null) {
      // Reuse of a rotated token: someone holds a copy. Revoke the whole family (RFC 9700 §4.14.2).
      await revokeFamily(db, previous.familyId, now);
      events.record({ type: 'refresh.reuse_detected', outcome: 'failure', userId: previous.userId, clientId: client.clientId, detail: 'family revoked' });
    }
    throw new OAuthError('invalid_grant', 'the refresh token is invalid, expired, revoked or already used');
  }
  if (!result.user || result.user.disabled) {
    await revokeFamily(db, previous.familyId, now);
    throw new OAuthError('invalid_grant', 'the user is no longer active');
  }
  const scope = narrowScope(requestedScope, grantedScope);
  return mintUserTokens(services, {
    client, user: result.user, scope, authTime: previous.authTime, nonce: null, idTokenClaims: [],
    amr: previous.amr, acr: previous.acr, accessTokenJti, now,
  }, newToken);
}
