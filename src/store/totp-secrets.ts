// TOTP secrets in D1: one per user, the secret encrypted (src/crypto/data-key.ts) before it reaches this file.
import type { D1Like } from './db.ts';

export interface TotpSecretRow {
  /** The ciphertext, bound to the user id (purpose "totp"). */
  secret: string;
  createdAt: number;
}

export async function findTotpSecret(db: D1Like, userId: string): Promise<TotpSecretRow | null> {
  const row = await db.prepare('SELECT secret, created_at FROM totp_secrets WHERE user_id = ?').bind(userId)
    .first<{ secret: string; created_at: number }>();
  return row ? { secret: row.secret, createdAt: row.created_at } : null;
}

/** Stores the first secret only: false when the user already has one (a replayed or concurrent enrolment). */
export async function insertTotpSecret(db: D1Like, userId: string, secret: string, now: number): Promise<boolean> {
  const result = await db.prepare('INSERT INTO totp_secrets (user_id, secret, created_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO NOTHING')
    .bind(userId, secret, now).run();
  return result.meta.changes > 0;
}

/** Replaces the ciphertext (re-encrypted under the newest key) only if it is still the one that was read. */
export async function replaceTotpCiphertext(db: D1Like, userId: string, read: string, secret: string): Promise<void> {
  await db.prepare('UPDATE totp_secrets SET secret = ? WHERE user_id = ? AND secret = ?').bind(secret, userId, read).run();
}

export function deleteTotpSecretStatement(db: D1Like, userId: string): D1PreparedStatement {
  return db.prepare('DELETE FROM totp_secrets WHERE user_id = ?').bind(userId);
}

/** Turns TOTP off: true when there was a secret to delete. */
export async function deleteTotpSecret(db: D1Like, userId: string): Promise<boolean> {
  return ((await deleteTotpSecretStatement(db, userId).run()).meta.changes ?? 0) > 0;
}
