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

/** What a presented token is, before any liveness read: enough to revoke it (RFC 7009 §2.2 allows a dead one). */
export type IdentifiedToken =
  | { kind: 'access'; claims: AccessTokenClaims }
  | { kind: 'refresh'; record: RefreshTokenRecord }
  | { kind: 'unknown' };

/** The type is decided by the token itself; token_type_hint (RFC 7009 §2.1) is honoured but not trusted. */
export async function identifyToken(services: Services, db: D1Database, token: string): Promise<IdentifiedToken> {
  if (looksLikeJwt(token)) {
    const claims = await verifyAccessToken(services.keys, services.config.issuer, token);
    return claims ? { kind: 'access', claims: claims as AccessTokenClaims } : { kind: 'unknown' };
  }
  if (token.length > 128) return { kind: 'unknown' };
  const record = await findRefreshToken(db, await digestToken(token));
  return record ? { kind: 'refresh', record } : { kind: 'unknown' };
}

/** The token and whether it is live: for introspection (RFC 7662 §2.2), which must say so. */
export async function inspectToken(services: Services, db: D1Database, token: string): Promise<PresentedToken> {
  const now = nowSeconds();
  const identified = await identifyToken(services, db, token);
  if (identified.kind === 'refresh') return { ...identified, active: isLiveRefreshToken(identified.record, now) };
  if (identified.kind === 'unknown') return identified;
  const { claims } = identified;
  // Client-credentials tokens have the client as subject (RFC 9068 §2.2) and no user behind them.
  const forClient = claims.sub === claims.client_id;
  const { user, revoked } = await findUserForToken(db, claims.sub, claims.jti);
  const active = !revoked && claims.exp > now && (forClient || (user !== null && !user.disabled));
  return { kind: 'access', claims, user, active };
}

/**
 * RFC 7009 §2.1: a client may revoke only its own tokens; revoking a refresh token revokes its whole grant.
 * One batch, which also re-reads the client's secret hash on the primary: nothing is revoked, and
 * `clientUnchanged` is false, once the secret the client authenticated with was rotated or deleted.
 */
export function revokePresentedToken(db: D1Database, presented: IdentifiedToken, client: ClientCheck): Promise<RevocationResult> {
  const target: RevocationTarget | null =
    presented.kind === 'access' && presented.claims.client_id === client.clientId
      ? { kind: 'access', jti: presented.claims.jti, expiresAt: presented.claims.exp }
      : presented.kind === 'refresh' && presented.record.clientId === client.clientId
        ? { kind: 'family', familyId: presented.record.familyId }
        : null;
  return revokeForClient(db, target, client, nowSeconds());
}
