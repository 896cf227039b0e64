// How a typed username finds its users row (the users table's username key): fragments for the users store and
// for other tables' statements that name a user by username, and the key's backfill.
import { usernameKey } from '../policy/unicode.ts';
import type { D1Like } from './db.ts';

/**
 * How a typed username finds its row: by its key, or by the exact stored form for a legacy row without one.
 * Placeholders ?1 (the key) and ?2 (the typed form); `usernameMatch` gives their values.
 */
export const USERNAME_MATCH = 'FROM users WHERE username_key = ?1 OR (username_key IS NULL AND username = ?2) ORDER BY username = ?2 DESC LIMIT 1';

export function usernameMatch(username: string): [string, string] {
  return [usernameKey(username), username];
}

/** The id of the user a typed username names, as a subquery for other tables' statements (binds: `usernameMatch`). */
export const USER_ID_BY_USERNAME = `(SELECT id ${USERNAME_MATCH})`;

/**
 * Fills the key of rows stored before migration 0006 whose username is not ASCII (SQLite cannot compute NFKC).
 * A row whose key is already another row's stays NULL: that pair of look-alikes predates the key.
 */
export async function backfillUsernameKeys(db: D1Like): Promise<void> {
  const { results } = await db.prepare('SELECT id, username FROM users WHERE username_key IS NULL').all<{ id: string; username: string }>();
  for (const row of results) {
    await db
      .prepare('UPDATE users SET username_key = ?1 WHERE id = ?2 AND NOT EXISTS (SELECT 1 FROM users WHERE username_key = ?1)')
      .bind(usernameKey(row.username), row.id)
      .run();
  }
}
