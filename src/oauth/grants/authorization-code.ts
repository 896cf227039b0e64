// grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6, OIDC Core §3.1.3): check, redeem once, mint.
import { MAX_REDIRECT_URI_CHARS } from '../../constants.ts';
import { digestToken } from '../../crypto/digest.ts';
import { randomToken } from '../../crypto/random.ts';
import type { Services } from '../../services.ts';
import type { Client } from '../../store/clients.ts';
import { readCode, redeemCode, revokeReplayedCode } from '../../store/codes.ts';
import { nowSeconds } from '../../store/db.ts';
import { OAuthError } from '../errors.ts';
import type { RequestParams } from '../params.ts';
import { verifyPkce } from '../pkce.ts';
import { accessTokenExpiry, mintTokens, type IssuedTokens } from '../tokens.ts';

export interface CodeExchange {
  tokens: IssuedTokens;
  scope: string[];
  userId: string;
  codeHash: string;
}

export interface ExchangeEvents {
  /** A code was presented again; what its first redemption issued has been revoked. */
  onReplay(userId: string): void;
}

export async function exchangeAuthorizationCode(
  services: Services,
  bindings: { db: D1Database; kv: KVNamespace },
  client: Client,
  params: RequestParams,
  events: ExchangeEvents,
): Promise<CodeExchange> {
  const code = params.require('code', 256);
  const redirectUri = params.require('redirect_uri', MAX_REDIRECT_URI_CHARS);
  const verifier = params.get('code_verifier', 256);
  const now = nowSeconds();
  const codeHash = await digestToken(code);

  const replayed = async (description: string): Promise<never> => {
    const first = await revokeReplayedCode(bindings.db, codeHash, now);
    if (first) events.onReplay(first.userId);
    throw new OAuthError('invalid_grant', description);
  };

  const payload = await readCode(bindings.kv, codeHash);
  if (!payload) return replayed('the authorization code is invalid, expired or already used');
  if (payload.clientId !== client.clientId) throw new OAuthError('invalid_grant', 'the authorization code was issued to another client');
  if (payload.expiresAt < now) throw new OAuthError('invalid_grant', 'the authorization code has expired');
  if (payload.redirectUri !== redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request');
  await verifyPkce(verifier, payload.codeChallenge);

  const accessTokenJti = randomToken(16);
  const result = await redeemCode(bindings.db, {
    codeHash,
    clientId: client.clientId,
    clientSecretHash: client.secretHash,
    userId: payload.userId,
    sessionIdHash: payload.sessionIdHash,
    accessTokenJti,
    accessTokenExpiresAt: accessTokenExpiry(services, now),
    now,
  });
  if (!result.redeemed) return replayed('the authorization code has already been used');
  if (!result.user || result.user.disabled) throw new OAuthError('invalid_grant', 'the user is no longer active');
  if (result.sessionEnded) throw new OAuthError('invalid_grant', 'the session that issued this code has ended');

  const scope = payload.scope.split(' ');
  const tokens = await mintTokens(services, {
    client, user: result.user, scope, authTime: payload.authTime, nonce: payload.nonce,
    idTokenClaims: payload.idTokenClaims, accessTokenJti, now,
  });
  return { tokens, scope, userId: result.user.id, codeHash };
}
