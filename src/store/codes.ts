// Authorization codes: payloads in KV (fast, expiring) and single use decided by one atomic D1 batch.
import { CODE_TTL_SECONDS } from '../constants.ts';
import type { AcrLevel } from '../oauth/acr.ts';
import { clientUnchangedSql, clientUnchangedStatement, isUnchangedResult } from './client-check.ts';
import type { D1Like } from './db.ts';
import { insertRefreshTokenStatement, revokeFamilyStatements, type NewRefreshToken } from './refresh-tokens.ts';
import { markClientUsedStatement } from './registrations.ts';
import { sessionEndedStatement } from './sessions.ts';
import { revokeSelectedTokensStatement } from './tokens.ts';
import { userOf, type User } from './user-row.ts';
import { selectUserById, USER_ENABLED_SQL } from './users.ts';

const KEY_PREFIX = 'code:';

export interface CodePayload {
  clientId: string;
  redirectUri: string;
  scope: string;
  nonce: string | null;
  codeChallenge: string | null;
  userId: string;
  authTime: number;
  sessionIdHash: string;
  /** Claims requested for the id_token through the `claims` parameter (OIDC Core §5.5). */
  idTokenClaims: string[];
  /** The session's authentication methods (RFC 8176). */
  amr: string[];
  /** The session's acr level when the request asked for acr, else null (no acr in the id_token). */
  acr: AcrLevel | null;
  /** The resources granted (RFC 8707); absent in codes issued before them. */
  resources?: string[];
  expiresAt: number;
}

/** Stored under the code's SHA-256, never the code itself. */
export async function saveCode(kv: KVNamespace, codeHash: string, payload: CodePayload): Promise<void> {
  await kv.put(KEY_PREFIX + codeHash, JSON.stringify(payload), { expirationTtl: CODE_TTL_SECONDS });
}

export async function readCode(kv: KVNamespace, codeHash: string): Promise<CodePayload | null> {
  return kv.get<CodePayload>(KEY_PREFIX + codeHash, 'json');
}

export async function deleteCode(kv: KVNamespace, codeHash: string): Promise<void> {
  await kv.delete(KEY_PREFIX + codeHash);
}

export interface Redemption {
  codeHash: string;
  clientId: string;
  /** The client's secret hash as authenticated; the redemption fails if it changed since (rotation, deletion). */
  clientSecretHash: string | null;
  userId: string;
  sessionIdHash: string;
  /** The session's auth_time: a session at or before its user's sessions_ended_at has ended, row or not. */
  authTime: number;
  accessTokenJti: string;
  accessTokenExpiresAt: number;
  now: number;
  /** Issued with the tokens when offline access was granted; lands only if this redemption wins. */
  refreshToken: NewRefreshToken | null;
}

export interface RedemptionResult {
  /** False when the client was deleted or its secret rotated since the record it authenticated with. */
  clientUnchanged: boolean;
  redeemed: boolean;
  user: User | null;
  /**
   * True when D1 records the code's session as ended (logout) or expired, or its user's sessions as ended since
   * (disable, new password); a session not yet recorded is otherwise live.
   */
  sessionEnded: boolean;
}

/** Claims the code by primary key, only while the client's secret is the one it authenticated with. */
function claimCodeStatement(db: D1Like, r: Redemption): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO code_redemptions
         (code_hash, client_id, user_id, access_token_jti, access_token_expires_at, redeemed_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6
       WHERE ${clientUnchangedSql('?2', '?7')}
       ON CONFLICT (code_hash) DO NOTHING
       RETURNING code_hash`,
    )
    .bind(r.codeHash, r.clientId, r.userId, r.accessTokenJti, r.accessTokenExpiresAt, r.now, r.clientSecretHash);
}

/** Holds once this batch's claim landed (binds the code hash and the access token's jti). */
const CLAIMED_SQL = 'EXISTS (SELECT 1 FROM code_redemptions WHERE code_hash = ? AND access_token_jti = ?)';

/**
 * One D1 batch (one transaction, one round trip): claim the code by primary key, issue the refresh token only
 * if the claim won and the user is enabled, and read the user and the session it was issued from. Two
 * concurrent redemptions cannot both insert the row.
 */
export async function redeemCode(db: D1Like, r: Redemption): Promise<RedemptionResult> {
  const refresh = r.refreshToken
    ? [insertRefreshTokenStatement(db, r.refreshToken, `${CLAIMED_SQL} AND ${USER_ENABLED_SQL}`, [r.codeHash, r.accessTokenJti, r.userId])]
    : [];
  const results = await db.batch([
    claimCodeStatement(db, r),
    ...refresh,
    // First use keeps a self-registered client from the retention job's expiry of unused ones.
    markClientUsedStatement(db, r.clientId, r.now, CLAIMED_SQL, [r.codeHash, r.accessTokenJti]),
    selectUserById(db, r.userId),
    sessionEndedStatement(db, { idHash: r.sessionIdHash, userId: r.userId, authTime: r.authTime }, r.now),
    clientUnchangedStatement(db, { clientId: r.clientId, secretHash: r.clientSecretHash }),
  ]);
  const [claim] = results;
  const [user, session, client] = results.slice(-3);
  return {
    clientUnchanged: isUnchangedResult(client),
    redeemed: (claim?.results.length ?? 0) > 0,
    user: userOf(user),
    sessionEnded: (session?.results.length ?? 0) > 0,
  };
}

export interface ReplayedCode {
  clientId: string;
  userId: string;
}

/**
 * A code presented again: RFC 6749 §4.1.2 says to revoke what its first redemption issued (its access
 * token and the refresh token family it started). Returns the redemption found, or null for a code
 * that was never redeemed.
 */
export async function revokeReplayedCode(db: D1Like, codeHash: string, now: number): Promise<ReplayedCode | null> {
  const [, marked] = await db.batch([
    revokeSelectedTokensStatement(db, 'SELECT access_token_jti, access_token_expires_at FROM code_redemptions WHERE code_hash = ?', [codeHash]),
    db
      .prepare('UPDATE code_redemptions SET replayed_at = ? WHERE code_hash = ? RETURNING client_id, user_id')
      .bind(now, codeHash),
    // The family id of tokens issued from a code is the code's hash.
    ...revokeFamilyStatements(db, codeHash, now),
  ]);
  const row = marked?.results[0] as { client_id: string; user_id: string } | undefined;
  return row ? { clientId: row.client_id, userId: row.user_id } : null;
}

/** A redemption row is kept while the access token it records could still be used. */
export function pruneCodeRedemptionsStatement(db: D1Like, now: number): D1PreparedStatement {
  return db.prepare('DELETE FROM code_redemptions WHERE access_token_expires_at < ?').bind(now);
}
