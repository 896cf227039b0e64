// The users table's profile side, as its user edits it on /account: the display name, the email address.
import type { D1Like } from './db.ts';

export async function setUserName(db: D1Like, userId: string, name: string | null, now: number): Promise<boolean> {
  const result = await db.prepare('UPDATE users SET name = ?, updated_at = ? WHERE id = ?').bind(name, now, userId).run();
  return result.meta.changes > 0;
}

/** A new address starts unverified (email_verified is a claim about this address, OIDC Core §5.1). */
export async function setUserEmail(db: D1Like, userId: string, email: string, now: number): Promise<boolean> {
  const result = await db
    .prepare('UPDATE users SET email = ?, email_verified = 0, updated_at = ? WHERE id = ?')
    .bind(email, now, userId)
    .run();
  return result.meta.changes > 0;
}
