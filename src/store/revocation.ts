// RFC 7009 revocation as one D1 batch: the client's secret re-checked on the primary, and the token (or the
// refresh family) revoked only while it holds. Composed from the owning tables' statement builders.
import { clientUnchangedSql, clientUnchangedStatement, isUnchangedResult, type ClientCheck } from './client-check.ts';
import type { D1Like } from './db.ts';
import { revokeClientFamilyStatements } from './refresh-tokens.ts';
import { revokeAccessTokenStatement } from './tokens.ts';

/** What to revoke: an access token by its jti, or a refresh token's whole family; null for nothing of this client's. */
export type RevocationTarget = { kind: 'access'; jti: string; expiresAt: number } | { kind: 'family'; familyId: string };

export interface RevocationResult {
  revoked: boolean;
  /** False once the secret the client authenticated with was rotated or deleted: then nothing is revoked. */
  clientUnchanged: boolean;
}

export async function revokeForClient(db: D1Like, target: RevocationTarget | null, client: ClientCheck, now: number): Promise<RevocationResult> {
  const writes =
    target?.kind === 'access'
      ? [revokeAccessTokenStatement(db, target.jti, target.expiresAt, clientUnchangedSql(), [client.clientId, client.secretHash])]
      : target?.kind === 'family'
        ? revokeClientFamilyStatements(db, target.familyId, client, now)
        : [];
  const [unchanged] = await db.batch([clientUnchangedStatement(db, client), ...writes]);
  const clientUnchanged = isUnchangedResult(unchanged);
  return { revoked: clientUnchanged && writes.length > 0, clientUnchanged };
}
