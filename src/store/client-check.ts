// The stored client secret hash re-read on the D1 primary, so a rotated or deleted secret is refused at once.
import type { D1Like } from './db.ts';

/** The client as it authenticated: the secret hash its (possibly cached) record held. */
export interface ClientCheck {
  clientId: string;
  secretHash: string | null;
}

/**
 * SQL that holds while the client still exists with the same secret hash; placeholders name the client id
 * and the hash. `IS` so that a public client's NULL hash matches NULL. A metadata-document client (a URL id,
 * which registered ids cannot be) has no row: its document's cache lifetime bounds how stale it may be.
 * Each placeholder appears once, so callers binding plain `?` keep their argument order.
 */
export function clientUnchangedSql(idParam = '?', hashParam = '?'): string {
  return `EXISTS (SELECT 1 FROM (SELECT ${idParam} AS id, ${hashParam} AS hash) AS presented
    WHERE (presented.hash IS NULL AND (presented.id LIKE 'https://%' OR presented.id LIKE 'http://%'))
       OR EXISTS (SELECT 1 FROM clients WHERE client_id = presented.id AND secret_hash IS presented.hash))`;
}

/** A read for a batch that already goes to the primary: one row while the client is unchanged. */
export function clientUnchangedStatement(db: D1Like, check: ClientCheck): D1PreparedStatement {
  return db.prepare(`SELECT 1 AS unchanged WHERE ${clientUnchangedSql()}`).bind(check.clientId, check.secretHash);
}

export function isUnchangedResult(result: D1Result | undefined): boolean {
  return (result?.results.length ?? 0) > 0;
}

/** One primary read, for requests that write nothing (client_credentials, introspection). */
export async function isClientUnchanged(db: D1Like, check: ClientCheck): Promise<boolean> {
  return (await clientUnchangedStatement(db, check).first()) !== null;
}
