// SSO sessions in D1, keyed by the SHA-256 of the session id the browser's signed cookie carries.
import type { D1Like } from './db.ts';

export interface SessionRecord {
  idHash: string;
  userId: string;
  authTime: number;
  expiresAt: number;
}

export async function insertSession(db: D1Like, s: SessionRecord, now: number): Promise<void> {
  await db
    .prepare('INSERT INTO sessions (id_hash, user_id, auth_time, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
    .bind(s.idHash, s.userId, s.authTime, now, s.expiresAt)
    .run();
}

/**
 * What D1 knows of a session: 'ended' (logged out, expired or its user removed), 'active', or 'unknown'
 * when its row has not been written yet (sessions are recorded off the response path).
 */
export async function findSessionState(db: D1Like, idHash: string, now: number): Promise<'active' | 'ended' | 'unknown'> {
  const row = await db
    .prepare('SELECT ended_at, expires_at FROM sessions WHERE id_hash = ?')
    .bind(idHash)
    .first<{ ended_at: number | null; expires_at: number }>();
  if (!row) return 'unknown';
  return row.ended_at === null && row.expires_at > now ? 'active' : 'ended';
}

export async function findActiveSession(db: D1Like, idHash: string, now: number): Promise<SessionRecord | null> {
  const row = await db
    .prepare(
      'SELECT id_hash, user_id, auth_time, expires_at FROM sessions WHERE id_hash = ? AND ended_at IS NULL AND expires_at > ?',
    )
    .bind(idHash, now)
    .first<{ id_hash: string; user_id: string; auth_time: number; expires_at: number }>();
  return row ? { idHash: row.id_hash, userId: row.user_id, authTime: row.auth_time, expiresAt: row.expires_at } : null;
}

export async function endSession(db: D1Like, idHash: string, now: number): Promise<boolean> {
  const result = await db
    .prepare('UPDATE sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL')
    .bind(now, idHash)
    .run();
  return result.meta.changes > 0;
}

export async function endUserSessions(db: D1Like, userId: string, now: number): Promise<number> {
  const result = await db
    .prepare('UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL')
    .bind(now, userId)
    .run();
  return result.meta.changes;
}
