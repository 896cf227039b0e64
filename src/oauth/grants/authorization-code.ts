// grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6, OIDC Core §3.1.3): check, redeem once, mint.
import { MAX_REDIRECT_URI_CHARS, REFRESH_TOKEN_BYTES } from '../../constants.ts';
import { digestToken } from '../../crypto/digest.ts';
import { randomToken } from '../../crypto/random.ts';
import type { Client } from '../../store/clients.ts';
import { deleteCode, readCode, redeemCode, revokeReplayedCode } from '../../store/codes.ts';
import { nowSeconds } from '../../clock.ts';
import type { NewRefreshToken } from '../../store/refresh-tokens.ts';
import { OAuthError } from '../errors.ts';
import type { RequestParams } from '../params.ts';
import { verifyPkce } from '../pkce.ts';
import { accessTokenExpiry, mintUserTokens, type IssuedTokens } from '../tokens.ts';
import type { GrantContext } from './context.ts';

export async function exchangeAuthorizationCode(ctx: GrantContext, client: Client, params: RequestParams): Promise<IssuedTokens> {
  const { services, db, kv, events } = ctx;
  const code = params.require('code', 256);
  const redirectUri = params.require('redirect_uri', MAX_REDIRECT_URI_CHARS);
  const verifier = params.get('code_verifier', 256);
  const now = nowSeconds();
  const codeHash = await digestToken(code);

  const replayed = async (description: string): Promise<never> => {
    const first = await revokeReplayedCode(db, codeHash, now);
    if (first) events.record({ type: 'code.replay', outcome: 'failure', userId: first.userId, clientId: client.clientId, detail: 'tokens from the first redemption revoked' });
    throw new OAuthError('invalid_grant', description);
  };

  const payload = await readCode(kv, codeHash);
  if (!payload) return replayed('the authorization code is invalid, expired or already used');
  if (payload.clientId !== client.clientId) throw new OAuthError('invalid_grant', 'the authorization code was issued to another client');
  if (payload.expiresAt < now) throw new OAuthError('invalid_grant', 'the authorization code has expired');
  if (payload.redirectUri !== redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request');
  await verifyPkce(verifier, payload.codeChallenge);

  const scope = payload.scope.split(' ');
  const accessTokenJti = randomToken(16);
  const accessTokenExpiresAt = accessTokenExpiry(services, now);
  const refreshToken = scope.includes('offline_access') && client.grantTypes.includes('refresh_token') ? randomToken(REFRESH_TOKEN_BYTES) : null;
  const refreshRecord: NewRefreshToken | null = refreshToken
    ? {
        tokenHash: await digestToken(refreshToken),
        familyId: codeHash,
        clientId: client.clientId,
        userId: payload.userId,
        scope: payload.scope,
        sessionIdHash: payload.sessionIdHash,
        authTime: payload.authTime,
        createdAt: now,
        expiresAt: now + Math.min(services.config.refreshTokenIdleTtlSeconds, services.config.refreshTokenAbsoluteTtlSeconds),
        familyExpiresAt: now + services.config.refreshTokenAbsoluteTtlSeconds,
        accessTokenJti,
        accessTokenExpiresAt,
        amr: payload.amr,
        acr: payload.acr,
      }
    : null;

  const result = await redeemCode(db, {
    codeHash, clientId: client.clientId, clientSecretHash: client.secretHash, userId: payload.userId,
    sessionIdHash: payload.sessionIdHash, authTime: payload.authTime, accessTokenJti, accessTokenExpiresAt, now, refreshToken: refreshRecord,
  });
  if (!result.redeemed) return replayed('the authorization code has already been used');
  if (!result.user || result.user.disabled) throw new OAuthError('invalid_grant', 'the user is no longer active');
  if (result.sessionEnded) throw new OAuthError('invalid_grant', 'the session that issued this code has ended');

  ctx.afterResponse(deleteCode(kv, codeHash));
  events.record({ type: 'code.redeemed', outcome: 'success', userId: result.user.id, clientId: client.clientId });
  return mintUserTokens(services, {
    client, user: result.user, scope, authTime: payload.authTime, nonce: payload.nonce,
    idTokenClaims: payload.idTokenClaims, amr: payload.amr, acr: payload.acr, accessTokenJti, now,
  }, refreshToken);
}
