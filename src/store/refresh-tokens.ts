// Refresh tokens in D1: hashed at rest, rotated by one atomic batch, revoked by family on reuse.
import { clientUnchangedSql, clientUnchangedStatement, isUnchangedResult, type ClientCheck } from './client-check.ts';
import type { D1Like } from './db.ts';
import { REFRESH_TOKEN_COLUMNS as COLUMNS, toRefreshTokenRecord, type NewRefreshToken, type RefreshTokenRecord, type RefreshTokenRow } from './refresh-token-row.ts';
import { revokeSelectedTokensStatement } from './tokens.ts';
import { userOf, type User } from './user-row.ts';
import { selectUserWhereId } from './users.ts';

export type { NewRefreshToken, RefreshTokenRecord } from './refresh-token-row.ts';

/**
 * The INSERT for a new family's first token, guarded so it only lands when `guardSql` (a condition on the
 * same batch's earlier writes) holds: the code redemption batch uses it to issue exactly once.
 */
export function insertRefreshTokenStatement(db: D1Like, t: NewRefreshToken, guardSql: string, guardParams: unknown[]): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO refresh_tokens (${COLUMNS})
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ? WHERE ${guardSql}`,
    )
    .bind(
      t.tokenHash, t.familyId, t.clientId, t.userId, t.scope, t.sessionIdHash, t.authTime, t.createdAt, t.expiresAt,
      t.familyExpiresAt, t.accessTokenJti, t.accessTokenExpiresAt, JSON.stringify(t.amr), t.acr, JSON.stringify(t.resources),
      ...guardParams,
    );
}

export interface Rotation {
  oldHash: string;
  newHash: string;
  clientId: string;
  /** The secret hash the client authenticated with: the token is not rotated if it changed since. */
  clientSecretHash: string | null;
  now: number;
  idleTtlSeconds: number;
  accessTokenJti: string;
  accessTokenExpiresAt: number;
  /** The narrower scope asked for; the token is only rotated if every one of these was granted. */
  requestedScope: string[] | null;
  /** The resources asked for (RFC 8707 §2.2); the token is only rotated if every one was granted. */
  requestedResources: string[];
  /** What a family recorded without resources stands for: the client's audience (src/oauth/resources.ts tokenResources). */
  defaultResources: string[];
}

export interface RotationResult {
  /** The token as it was before this request; null when unknown. */
  previous: RefreshTokenRecord | null;
  rotated: boolean;
  user: User | null;
  /** False when the client was deleted or its secret rotated after the record this isolate cached. */
  clientUnchanged: boolean;
}

/**
 * One batch: read the presented token, mark it used (only if live, unused and the caller's), insert its
 * successor (only if this request's mark won), and read the user. Concurrent uses: one wins.
 */
export async function rotateRefreshToken(db: D1Like, r: Rotation): Promise<RotationResult> {
  const [previous, mark, , user, client] = await db.batch([
    db.prepare(`SELECT ${COLUMNS} FROM refresh_tokens WHERE token_hash = ?`).bind(r.oldHash),
    db
      .prepare(
        `UPDATE refresh_tokens SET used_at = ?1, replaced_by = ?2
         WHERE token_hash = ?3 AND client_id = ?4 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?1
           AND NOT EXISTS (SELECT 1 FROM json_each(?5) WHERE instr(' ' || scope || ' ', ' ' || value || ' ') = 0)
           AND NOT EXISTS (SELECT 1 FROM json_each(?7) AS asked WHERE asked.value NOT IN
             (SELECT value FROM json_each(CASE resources WHEN '[]' THEN ?8 ELSE resources END)))
           AND ${clientUnchangedSql('?4', '?6')}
         RETURNING token_hash`,
      )
      .bind(r.now, r.newHash, r.oldHash, r.clientId, JSON.stringify(r.requestedScope ?? []), r.clientSecretHash,
        JSON.stringify(r.requestedResources), JSON.stringify(r.defaultResources)),
    db
      .prepare(
        `INSERT INTO refresh_tokens (${COLUMNS})
         SELECT ?1, family_id, client_id, user_id, scope, session_id_hash, auth_time, ?2,
                MIN(?2 + ?3, family_expires_at), family_expires_at, ?4, ?5, amr, acr, NULL, NULL, resources
         FROM refresh_tokens WHERE token_hash = ?6 AND replaced_by = ?1`,
      )
      .bind(r.newHash, r.now, r.idleTtlSeconds, r.accessTokenJti, r.accessTokenExpiresAt, r.oldHash),
    selectUserWhereId(db, '(SELECT user_id FROM refresh_tokens WHERE token_hash = ?)', [r.oldHash]),
    clientUnchangedStatement(db, { clientId: r.clientId, secretHash: r.clientSecretHash }),
  ]);
  const prevRow = previous?.results[0] as RefreshTokenRow | undefined;
  return {
    previous: prevRow ? toRefreshTokenRecord(prevRow) : null,
    rotated: (mark?.results.length ?? 0) > 0,
    user: userOf(user),
    clientUnchanged: isUnchangedResult(client),
  };
}

export async function findRefreshToken(db: D1Like, tokenHash: string): Promise<RefreshTokenRecord | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM refresh_tokens WHERE token_hash = ?`).bind(tokenHash).first<RefreshTokenRow>();
  return row ? toRefreshTokenRecord(row) : null;
}

function revokeWhere(db: D1Like, where: string, params: unknown[], now: number): D1PreparedStatement[] {
  return [
    // RFC 7009 §2.1: access tokens from the same grant go too.
    revokeSelectedTokensStatement(db, `SELECT access_token_jti, access_token_expires_at FROM refresh_tokens WHERE ${where}`, params),
    db.prepare(`UPDATE refresh_tokens SET revoked_at = ? WHERE ${where} AND revoked_at IS NULL`).bind(now, ...params),
  ];
}

/** Revokes every token of a family (reuse detected, code replayed, or one of them revoked). */
export function revokeFamilyStatements(db: D1Like, familyId: string, now: number): D1PreparedStatement[] {
  return revokeWhere(db, 'family_id = ?', [familyId], now);
}

/** Revokes a family for its client (RFC 7009), only while that client's secret is the one it authenticated with. */
export function revokeClientFamilyStatements(db: D1Like, familyId: string, check: ClientCheck, now: number): D1PreparedStatement[] {
  return revokeWhere(db, `family_id = ? AND client_id = ? AND ${clientUnchangedSql()}`, [familyId, check.clientId, check.clientId, check.secretHash], now);
}

export async function revokeFamily(db: D1Like, familyId: string, now: number): Promise<void> {
  await db.batch(revokeFamilyStatements(db, familyId, now));
}

export function revokeUserRefreshTokensStatements(db: D1Like, userId: string, now: number): D1PreparedStatement[] {
  return revokeWhere(db, 'user_id = ?', [userId], now);
}

/** One user's grants to one client (the account page's "revoke" of a connected app). */
export function revokeUserClientRefreshTokensStatements(db: D1Like, userId: string, clientId: string, now: number): D1PreparedStatement[] {
  return revokeWhere(db, 'user_id = ? AND client_id = ?', [userId, clientId], now);
}

export function revokeClientRefreshTokensStatements(db: D1Like, clientId: string, now: number): D1PreparedStatement[] {
  return revokeWhere(db, 'client_id = ?', [clientId], now);
}

export async function revokeSessionRefreshTokens(db: D1Like, sessionIdHash: string, now: number): Promise<void> {
  await db.batch(revokeWhere(db, 'session_id_hash = ?', [sessionIdHash], now));
}

/** The account page's "sign out all other sessions": the tokens those sessions' sign-ins issued. */
export async function revokeOtherSessionsRefreshTokens(db: D1Like, userId: string, keepIdHash: string, now: number): Promise<void> {
  await db.batch(revokeWhere(db, 'user_id = ? AND session_id_hash IS NOT NULL AND session_id_hash != ?', [userId, keepIdHash], now));
}

/** Rotated tokens stay while their family lives, so reuse of an old one is still detected. */
export function pruneRefreshTokensStatement(db: D1Like, now: number): D1PreparedStatement {
  return db.prepare('DELETE FROM refresh_tokens WHERE family_expires_at < ?1 OR (revoked_at IS NOT NULL AND access_token_expires_at < ?1)').bind(now);
}
