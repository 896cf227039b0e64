// The users table's email side: finding by username or email, marking an address verified, the password-change flag.
import type { D1Like } from './db.ts';
import { USER_COLUMNS, toUser, type User, type UserRow } from './user-row.ts';
import { findUserByUsername } from './users.ts';

/** Finds by username first, then by email (without case); with several accounts on one address, the oldest. */
export async function findUserByLogin(db: D1Like, identifier: string): Promise<User | null> {
  const byName = await findUserByUsername(db, identifier);
  if (byName || !identifier.includes('@')) return byName;
  const row = await db
    .prepare(`SELECT ${USER_COLUMNS} FROM users WHERE email = ? COLLATE NOCASE ORDER BY created_at LIMIT 1`)
    .bind(identifier)
    .first<UserRow>();
  return row ? toUser(row) : null;
}

/** Marks the address verified only while it is still the user's address (it may have changed since the mail). */
export async function markEmailVerified(db: D1Like, userId: string, email: string, now: number): Promise<boolean> {
  const result = await db
    .prepare('UPDATE users SET email_verified = 1, updated_at = ? WHERE id = ? AND email = ?')
    .bind(now, userId, email)
    .run();
  return result.meta.changes > 0;
}

export function setPasswordChangeRequiredStatement(db: D1Like, userId: string, required: boolean, now: number): D1PreparedStatement {
  return db.prepare('UPDATE users SET password_change_required = ?, updated_at = ? WHERE id = ?').bind(required ? 1 : 0, now, userId);
}

export async function setPasswordChangeRequired(db: D1Like, userId: string, required: boolean, now: number): Promise<boolean> {
  const result = await setPasswordChangeRequiredStatement(db, userId, required, now).run();
  return result.meta.changes > 0;
}
