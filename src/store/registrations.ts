// Dynamically registered clients (RFC 7591, RFC 7592) in the clients table: the registration access token's
// hash, the metadata kept only to be returned, first use, and the expiry of clients never used.
import { nowSeconds } from '../clock.ts';
import type { SigningAlg } from '../crypto/keys.ts';
import { CLIENT_COLUMNS, toClient, type Client, type ClientRow, type NewClient } from './client-row.ts';
import { ClientExistsError, insertClientStatement } from './clients.ts';
import type { D1Like } from './db.ts';

export interface Registration {
  client: Client;
  /** sha256$... of the registration access token (verifyClientSecret compares it in constant time). */
  tokenHash: string;
  /** RFC 7591 §2 members kept only to be returned (client_uri, logo_uri, contacts, software_id, ...). */
  extras: Record<string, unknown>;
}

type RegistrationRow = ClientRow & { registration_token_hash: string; registration_metadata: string | null };

const REGISTRATION_COLUMNS = `${CLIENT_COLUMNS}, registration_token_hash, registration_metadata`;

function toRegistration(row: RegistrationRow): Registration {
  const extras: unknown = JSON.parse(row.registration_metadata ?? '{}');
  return { client: toClient(row), tokenHash: row.registration_token_hash, extras: typeof extras === 'object' && extras ? extras as Record<string, unknown> : {} };
}

/** The client row and its registration columns, in one batch (one transaction). */
export async function insertRegistration(db: D1Like, client: NewClient, tokenHash: string, extras: object): Promise<Registration> {
  const [inserted, row] = await db.batch([
    insertClientStatement(db, client, 'dcr'),
    db.prepare(`UPDATE clients SET registration_token_hash = ?, registration_metadata = ? WHERE client_id = ? AND registered_by = 'dcr'
                AND registration_token_hash IS NULL RETURNING ${REGISTRATION_COLUMNS}`).bind(tokenHash, JSON.stringify(extras), client.clientId),
  ]);
  const stored = row?.results[0] as RegistrationRow | undefined;
  if ((inserted?.results.length ?? 0) === 0 || !stored) throw new ClientExistsError(`client ${client.clientId} already exists`);
  return toRegistration(stored);
}

/** A self-registered client with its token hash; administrator clients have no registration to manage. */
export async function findRegistration(db: D1Like, clientId: string): Promise<Registration | null> {
  const row = await db
    .prepare(`SELECT ${REGISTRATION_COLUMNS} FROM clients WHERE client_id = ? AND registered_by = 'dcr' AND registration_token_hash IS NOT NULL`)
    .bind(clientId)
    .first<RegistrationRow>();
  return row ? toRegistration(row) : null;
}

/** What an RFC 7592 update replaces; the id, the auth method and the secret stay. */
export interface RegistrationChanges {
  name: string;
  grantTypes: string[];
  scopes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  idTokenSignedResponseAlg: SigningAlg;
  extras: object;
}

/**
 * Replaces the metadata and rotates the token, only while the token presented is still the stored one: of two
 * updates racing with the same token, one wins and the other finds no row (null).
 */
export async function replaceRegistration(
  db: D1Like, clientId: string, presentedHash: string, nextHash: string, c: RegistrationChanges,
): Promise<Registration | null> {
  const row = await db
    .prepare(
      `UPDATE clients SET name = ?, grant_types = ?, scopes = ?, redirect_uris = ?, post_logout_redirect_uris = ?,
         id_token_signed_response_alg = ?, registration_metadata = ?, registration_token_hash = ?, updated_at = ?
       WHERE client_id = ? AND registered_by = 'dcr' AND registration_token_hash = ? RETURNING ${REGISTRATION_COLUMNS}`,
    )
    .bind(
      c.name, JSON.stringify(c.grantTypes), JSON.stringify(c.scopes), JSON.stringify(c.redirectUris), JSON.stringify(c.postLogoutRedirectUris),
      c.idTokenSignedResponseAlg, JSON.stringify(c.extras), nextHash, nowSeconds(), clientId, presentedHash,
    )
    .first<RegistrationRow>();
  return row ? toRegistration(row) : null;
}

/**
 * For the code redemption batch: records the client's first use, once (a no-op on later redemptions). `when`
 * is SQL that holds only if the redemption won, with its binds.
 */
export function markClientUsedStatement(db: D1Like, clientId: string, now: number, when: string, binds: string[]): D1PreparedStatement {
  return db
    .prepare(`UPDATE clients SET first_used_at = ? WHERE client_id = ? AND first_used_at IS NULL AND ${when}`)
    .bind(now, clientId, ...binds);
}

/** Self-registered clients never used, registered before `?1`: what the retention job deletes. */
export const UNUSED_REGISTRATIONS_SQL = "SELECT client_id FROM clients WHERE registered_by = 'dcr' AND first_used_at IS NULL AND created_at < ?1";

export function pruneUnusedRegistrationsStatement(db: D1Like, registeredBefore: number): D1PreparedStatement {
  return db.prepare(`DELETE FROM clients WHERE client_id IN (${UNUSED_REGISTRATIONS_SQL})`).bind(registeredBefore);
}
