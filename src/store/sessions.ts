// SSO sessions in D1, keyed by the SHA-256 of the session id the browser's signed cookie carries.
import type { D1Like } from './db.ts';
import { type MfaFactsRow, mfaFactsSql, toMfaFacts } from './mfa-facts.ts';
import { USER_SESSIONS_ENDED_SINCE_SQL, userSessionsEndedSql } from './users.ts';

export interface SessionRecord {
  idHash: string;
  userId: string;
  authTime: number;
  expiresAt: number;
}

/** Where a session was started (migration 0015): shown on /account, compared for new-device notices. */
export interface SessionDevice {
  userAgent: string | null;
  ip: string | null;
  country: string | null;
  city: string | null;
}

/** Records a session; a row already there (an ended marker logout wrote first) is left as it is. */
export function insertSessionStatement(db: D1Like, s: SessionRecord, now: number, d?: SessionDevice): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO sessions (id_hash, user_id, auth_time, created_at, expires_at, user_agent, ip, country, city)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id_hash) DO NOTHING`,
    )
    .bind(s.idHash, s.userId, s.authTime, now, s.expiresAt, d?.userAgent ?? null, d?.ip ?? null, d?.country ?? null, d?.city ?? null);
}

export async function insertSession(db: D1Like, s: SessionRecord, now: number, d?: SessionDevice): Promise<void> {
  await insertSessionStatement(db, s, now, d).run();
}

export type SessionState = 'active' | 'ended' | 'unknown';

interface SessionStateRow {
  ended_at: number | null;
  expires_at: number | null;
  user_found: number | null;
  user_ended_at: number | null;
}

/**
 * What D1 knows of a session: 'ended' (logged out, expired or its user removed), 'active', or 'unknown'
 * when its row has not been written yet (sessions are recorded off the response path). Given the session's
 * user and auth_time (from its cookie), the same query reads the user's sessions_ended_at, so that
 * disabling a user or changing a password ends sessions that were never recorded.
 */
export async function findSessionState(
  db: D1Like,
  idHash: string,
  now: number,
  holder?: { userId: string; authTime: number },
): Promise<SessionState> {
  return stateOf(await readSessionRow(db, idHash, holder?.userId ?? null, ''), now, holder);
}

/** findSessionState, and the holder's second factors read by the same query: the SSO journey's one read. */
export async function findSessionStateWithMfa(db: D1Like, idHash: string, now: number, holder: { userId: string; authTime: number }) {
  const row = await readSessionRow(db, idHash, holder.userId, `, ${mfaFactsSql('?2')}`);
  return { state: stateOf(row, now, holder), mfa: toMfaFacts(row ?? { mfa_passkeys: null, mfa_totp_since: null, mfa_codes_left: null }) };
}

function readSessionRow(db: D1Like, idHash: string, userId: string | null, extraColumns: string) {
  return db
    .prepare(
      `SELECT s.ended_at, s.expires_at, u.user_found, u.user_ended_at${extraColumns}
       FROM (SELECT 1) LEFT JOIN sessions s ON s.id_hash = ?1
       LEFT JOIN ${userSessionsEndedSql('?2')} u ON 1`,
    )
    .bind(idHash, userId)
    .first<SessionStateRow & MfaFactsRow>();
}

function stateOf(row: SessionStateRow | null, now: number, holder?: { authTime: number }): SessionState {
  if (holder && (!row?.user_found || (row.user_ended_at !== null && holder.authTime <= row.user_ended_at))) return 'ended';
  if (!row || row.expires_at === null) return 'unknown';
  return row.ended_at === null && row.expires_at > now ? 'active' : 'ended';
}

/**
 * For a batch: one row when D1 records the session as ended (logout) or expired, or its user's sessions as
 * ended since its auth_time (disable, new password); a session not yet recorded is otherwise live.
 */
/** Whether the session, or every session of its user authenticated by then, has ended (no session id: the user's only). */
export function sessionEndedStatement(db: D1Like, s: { idHash: string | null; userId: string; authTime: number }, now: number): D1PreparedStatement {
  return db
    .prepare(
      `SELECT 1 AS ended FROM sessions WHERE id_hash = ? AND (ended_at IS NOT NULL OR expires_at <= ?)
         UNION ALL ${USER_SESSIONS_ENDED_SINCE_SQL}`,
    )
    .bind(s.idHash, now, s.userId, s.authTime);
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

/**
 * Ends one session with an upsert: the row may not exist yet (its insert runs off the response path, and may
 * have failed), so the ended marker is written from what the cookie says. Returns false if it had ended before.
 */
export async function endSession(db: D1Like, s: SessionRecord, now: number): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO sessions (id_hash, user_id, auth_time, created_at, expires_at, ended_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id_hash) DO UPDATE SET ended_at = excluded.ended_at WHERE sessions.ended_at IS NULL`,
    )
    .bind(s.idHash, s.userId, s.authTime, now, s.expiresAt, now)
    .run();
  return result.meta.changes > 0;
}

/** Ends the user's recorded sessions; `endUserSessions` (cascades.ts) also ends those never recorded. */
export function endUserSessionRowsStatement(db: D1Like, userId: string, now: number): D1PreparedStatement {
  return db.prepare('UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL').bind(now, userId);
}

export function pruneSessionsStatement(db: D1Like, olderThan: number): D1PreparedStatement {
  return db.prepare('DELETE FROM sessions WHERE expires_at < ?').bind(olderThan);
}
