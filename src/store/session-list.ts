// The account page's view of a user's sessions: the live ones with their device, ending one or all the others.
import type { D1Like } from './db.ts';
import { insertSessionStatement, type SessionDevice, type SessionRecord } from './sessions.ts';

export interface LiveSession extends SessionDevice {
  idHash: string;
  createdAt: number;
}

interface LiveSessionRow {
  id_hash: string;
  created_at: number;
  user_agent: string | null;
  ip: string | null;
  country: string | null;
  city: string | null;
}

// A page lists this many at most: more live sessions than this is a sign to sign the others out.
const MAX_LISTED = 50;

/** The user's recorded sessions that have not ended, newest first (sessions_ended_at included). */
export async function listLiveSessions(db: D1Like, userId: string, now: number): Promise<LiveSession[]> {
  const { results } = await db
    .prepare(
      `SELECT s.id_hash, s.created_at, s.user_agent, s.ip, s.country, s.city FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.user_id = ? AND s.ended_at IS NULL AND s.expires_at > ? AND s.auth_time > COALESCE(u.sessions_ended_at, -1)
       ORDER BY s.created_at DESC LIMIT ?`,
    )
    .bind(userId, now, MAX_LISTED)
    .all<LiveSessionRow>();
  return results.map((r) => ({ idHash: r.id_hash, createdAt: r.created_at, userAgent: r.user_agent, ip: r.ip, country: r.country, city: r.city }));
}

/** Ends one of the user's sessions; another user's session id changes nothing (false). */
export async function endOwnSession(db: D1Like, userId: string, idHash: string, now: number): Promise<boolean> {
  const result = await db
    .prepare('UPDATE sessions SET ended_at = ? WHERE id_hash = ? AND user_id = ? AND ended_at IS NULL')
    .bind(now, idHash, userId)
    .run();
  return result.meta.changes > 0;
}

/** Ends every recorded session of the user but `keepIdHash`; returns how many. */
export async function endOtherSessions(db: D1Like, userId: string, keepIdHash: string, now: number): Promise<number> {
  const result = await db
    .prepare('UPDATE sessions SET ended_at = ? WHERE user_id = ? AND id_hash != ? AND ended_at IS NULL')
    .bind(now, userId, keepIdHash)
    .run();
  return result.meta.changes;
}

/** An earlier session's browser; `recorded` is false for rows written without a device (before migration 0015, or logout's markers). */
export interface EarlierDevice {
  userAgent: string | null;
  recorded: boolean;
}

/**
 * Records the session and reads the devices of the user's earlier ones (ended ones too), most recent first, in
 * one batch: the new-device check costs the sign-in's off-path insert no extra round trip.
 */
export async function insertSessionReadingEarlier(db: D1Like, s: SessionRecord, now: number, d: SessionDevice): Promise<EarlierDevice[]> {
  const [, earlier] = await db.batch<{ user_agent: string | null; ip: string | null }>([
    insertSessionStatement(db, s, now, d),
    db.prepare('SELECT user_agent, ip FROM sessions WHERE user_id = ? AND id_hash != ? ORDER BY created_at DESC LIMIT ?').bind(s.userId, s.idHash, MAX_LISTED),
  ]);
  return (earlier?.results ?? []).map((r) => ({ userAgent: r.user_agent, recorded: r.user_agent !== null || r.ip !== null }));
}
