// The applications a user let in: consents and live refresh-token families, per client, and revoking one client.
import { deleteConsentStatement } from './consents.ts';
import { type D1Like, parseJsonArray } from './db.ts';
import { revokeUserClientRefreshTokensStatements } from './refresh-tokens.ts';

export interface ConnectedApp {
  clientId: string;
  /** The registered name; null for a client not (or no longer) in the clients table. */
  name: string | null;
  /** The scopes consented to; null when the client needs no consent (first-party) and only holds tokens. */
  scopes: string[] | null;
  /** Live refresh-token families (one per sign-in that asked for offline access). */
  families: number;
  /** The latest consent or token issue. */
  lastUsedAt: number;
}

interface AppRow {
  client_id: string;
  name: string | null;
  scopes: string | null;
  families: number;
  last_used_at: number;
}

/** Both sources in one query, grouped per client (a UNION of consents and the live families). */
export async function listConnectedApps(db: D1Like, userId: string, now: number): Promise<ConnectedApp[]> {
  const { results } = await db
    .prepare(
      `SELECT a.client_id, c.name, MAX(a.scopes) AS scopes, SUM(a.families) AS families, MAX(a.at) AS last_used_at FROM (
         SELECT client_id, scopes, 0 AS families, updated_at AS at FROM consents WHERE user_id = ?1
         UNION ALL
         SELECT client_id, NULL, COUNT(DISTINCT family_id), MAX(created_at) FROM refresh_tokens
         WHERE user_id = ?1 AND revoked_at IS NULL AND used_at IS NULL AND expires_at > ?2 GROUP BY client_id
       ) a LEFT JOIN clients c ON c.client_id = a.client_id GROUP BY a.client_id ORDER BY last_used_at DESC LIMIT 100`,
    )
    .bind(userId, now)
    .all<AppRow>();
  return results.map((r) => ({
    clientId: r.client_id, name: r.name, families: r.families, lastUsedAt: r.last_used_at,
    scopes: r.scopes === null ? null : parseJsonArray(r.scopes),
  }));
}

/** Forgets the consent and revokes the user's refresh tokens for the client (and their access tokens), one batch. */
export async function revokeConnectedApp(db: D1Like, userId: string, clientId: string, now: number): Promise<boolean> {
  const [consent, , tokens] = await db.batch([
    deleteConsentStatement(db, userId, clientId),
    ...revokeUserClientRefreshTokensStatements(db, userId, clientId, now),
  ]);
  return (consent?.meta.changes ?? 0) + (tokens?.meta.changes ?? 0) > 0;
}
