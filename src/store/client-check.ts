// The stored client secret hash re-read on the D1 primary, so a rotated or deleted secret is refused at once.
import type { D1Like } from './db.ts';

/** The client as it authenticated: the secret hash its (possibly cached) record held. */
export interface ClientCheck {
  clientId: string;
  secretHash: string | null;
}

/**
 * SQL that holds while the client still exists with the same secret hash; placeholders name the client id
 * and the hash. `IS` so that a public client's NULL hash matches NULL.
 */
export function clientUnchangedSql(idParam = '?', hashParam = '?'): string {
  return `EXISTS (SELECT 1 FROM clients WHERE client_id = ${idParam} AND secret_hash IS ${hashParam})`;
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
