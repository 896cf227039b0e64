// How a typed username finds its users row: shared by the users store and statements of other tables that name
// a user by username (a module of its own, so neither store imports the other).
import { usernameKey } from '../policy/unicode.ts';

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

