// Revoked access tokens (by jti, until they would have expired) and the userinfo read that checks them.
import type { D1Like } from './db.ts';
import { userOf, type User } from './user-row.ts';
import { selectUserById } from './users.ts';

/**
 * One batch, one round trip: the token's user and whether the token was revoked. /userinfo passes a replica
 * reader; introspection and revocation pass the primary, whose answer resource servers act on.
 */
export async function findUserForToken(db: D1Like, userId: string, jti: string): Promise<{ user: User | null; revoked: boolean }> {
  const [user, revoked] = await db.batch([
    selectUserById(db, userId),
    db.prepare('SELECT 1 AS revoked FROM revoked_tokens WHERE jti = ?').bind(jti),
  ]);
  return { user: userOf(user), revoked: (revoked?.results.length ?? 0) > 0 };
}

/** Revokes an access token for its client (RFC 7009) only while the client's secret is unchanged (`guardSql`). */
export function revokeAccessTokenStatement(db: D1Like, jti: string, expiresAt: number, guardSql: string, guardParams: unknown[]): D1PreparedStatement {
  return revokeSelectedTokensStatement(db, `SELECT ?, ? WHERE ${guardSql}`, [jti, expiresAt, ...guardParams]);
}

/** Revokes the access tokens another table's `SELECT jti, expires_at …` (`selectSql`) names. */
export function revokeSelectedTokensStatement(db: D1Like, selectSql: string, params: unknown[]): D1PreparedStatement {
  return db.prepare(`INSERT OR IGNORE INTO revoked_tokens (jti, expires_at) ${selectSql}`).bind(...params);
}

export function pruneRevokedTokensStatement(db: D1Like, now: number): D1PreparedStatement {
  return db.prepare('DELETE FROM revoked_tokens WHERE expires_at < ?').bind(now);
}
