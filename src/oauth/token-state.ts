// What a presented token is and whether it is live: shared by revocation (RFC 7009) and introspection (RFC 7662).
import { digestToken } from '../crypto/digest.ts';
import { verifyAccessToken, type AccessTokenClaims } from '../crypto/jwt.ts';
import type { Services } from '../services.ts';
import { nowSeconds } from '../clock.ts';
import type { ClientCheck } from '../store/client-check.ts';
import { isLiveRefreshToken } from '../store/refresh-token-row.ts';
import { findRefreshToken, type RefreshTokenRecord } from '../store/refresh-tokens.ts';
import { revokeForClient, type RevocationResult, type RevocationTarget } from '../store/revocation.ts';
import { findUserForToken } from '../store/tokens.ts';
import type { User } from '../store/users.ts';

export type PresentedToken =
  | { kind: 'access'; claims: AccessTokenClaims; user: User | null; active: boolean }
  | { kind: 'refresh'; record: RefreshTokenRecord; active: boolean }
  | { kind: 'unknown' };

// Our access tokens are JWTs (three dot-separated parts); refresh tokens are opaque base64url.
function looksLikeJwt(token: string): boolean {
  return token.split('.').length === 3;
}

/** The type is decided by the token itself; token_type_hint (RFC 7009 §2.1) is honoured but not trusted. */
export async function inspectToken(services: Services, db: D1Database, token: string): Promise<PresentedToken> {
  const now = nowSeconds();
  if (looksLikeJwt(token)) {
    const claims = await verifyAccessToken(services.keys, services.config.issuer, token);
    if (!claims) return { kind: 'unknown' };
    const typed = claims as AccessTokenClaims;
    // Client-credentials tokens have the client as subject (RFC 9068 §2.2) and no user behind them.
    const forClient = typed.sub === typed.client_id;
    const { user, revoked } = await findUserForToken(db, typed.sub, typed.jti);
    const active = !revoked && typed.exp > now && (forClient || (user !== null && !user.disabled));
    return { kind: 'access', claims: typed, user, active };
  }
  if (token.length > 128) return { kind: 'unknown' };
  const record = await findRefreshToken(db, await digestToken(token));
  if (!record) return { kind: 'unknown' };
  return { kind: 'refresh', record, active: isLiveRefreshToken(record, now) };
}

/**
 * RFC 7009 §2.1: a client may revoke only its own tokens; revoking a refresh token revokes its whole grant.
 * One batch, which also re-reads the client's secret hash on the primary: nothing is revoked, and
 * `clientUnchanged` is false, once the secret the client authenticated with was rotated or deleted.
 */
export function revokePresentedToken(db: D1Database, presented: PresentedToken, client: ClientCheck): Promise<RevocationResult> {
  const target: RevocationTarget | null =
    presented.kind === 'access' && presented.claims.client_id === client.clientId
      ? { kind: 'access', jti: presented.claims.jti, expiresAt: presented.claims.exp }
      : presented.kind === 'refresh' && presented.record.clientId === client.clientId
        ? { kind: 'family', familyId: presented.record.familyId }
        : null;
  return revokeForClient(db, target, client, nowSeconds());
}
