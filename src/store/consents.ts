// Recorded consent in D1: the scopes each user allowed each client (the only code that knows the consents table).
import { type D1Like, parseJsonArray } from './db.ts';
import { USER_ID_BY_USERNAME, usernameMatch } from './username-match.ts';

/** The scopes the user has allowed the client, or null when there is no record. */
export async function findConsentedScopes(db: D1Like, userId: string, clientId: string): Promise<string[] | null> {
  const row = await db
    .prepare('SELECT scopes FROM consents WHERE user_id = ? AND client_id = ?')
    .bind(userId, clientId)
    .first<{ scopes: string }>();
  return row ? parseJsonArray(row.scopes) : null;
}

export interface ConsentByUsername {
  userId: string;
  scopes: string[];
}

/**
 * The same record found by username, so that POST /login can read it alongside the user's own lookup
 * instead of after it; the caller keeps it only when userId is the user who signed in.
 */
export async function findConsentByUsername(db: D1Like, username: string, clientId: string): Promise<ConsentByUsername | null> {
  const row = await db
    .prepare(`SELECT user_id, scopes FROM consents WHERE user_id = ${USER_ID_BY_USERNAME} AND client_id = ?3`)
    .bind(...usernameMatch(username), clientId)
    .first<{ user_id: string; scopes: string }>();
  return row ? { userId: row.user_id, scopes: parseJsonArray(row.scopes) } : null;
}

/** Adds the scopes just allowed to the record (a later, narrower consent does not forget earlier ones). */
export async function recordConsent(db: D1Like, userId: string, clientId: string, scopes: readonly string[], now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO consents (user_id, client_id, scopes, granted_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
       ON CONFLICT (user_id, client_id) DO UPDATE SET
         scopes = (SELECT json_group_array(value) FROM
                    (SELECT value FROM json_each(consents.scopes) UNION SELECT value FROM json_each(excluded.scopes))),
         updated_at = excluded.updated_at`,
    )
    .bind(userId, clientId, JSON.stringify(scopes), now)
    .run();
}

export function deleteUserConsentsStatement(db: D1Like, userId: string): D1PreparedStatement {
  return db.prepare('DELETE FROM consents WHERE user_id = ?').bind(userId);
}

export function deleteClientConsentsStatement(db: D1Like, clientId: string): D1PreparedStatement {
  return db.prepare('DELETE FROM consents WHERE client_id = ?').bind(clientId);
}

/** The consents of every client a subquery selects (`clientIdsSql` yields client_id; `binds` fill its placeholders). */
export function deleteConsentsOfClientsStatement(db: D1Like, clientIdsSql: string, binds: (string | number)[]): D1PreparedStatement {
  return db.prepare(`DELETE FROM consents WHERE client_id IN (${clientIdsSql})`).bind(...binds);
}

/** One user's consent to one client (the account page's revoke). */
export function deleteConsentStatement(db: D1Like, userId: string, clientId: string): D1PreparedStatement {
  return db.prepare('DELETE FROM consents WHERE user_id = ? AND client_id = ?').bind(userId, clientId);
}
