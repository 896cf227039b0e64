// Clients in D1: the clients table's reads and writes (rows in client-row.ts), plus the per-isolate client cache.
import { CLIENT_CACHE_TTL_MS, type MfaPolicy } from '../constants.ts';
import { nowSeconds } from '../clock.ts';
import { CLIENT_COLUMNS as COLUMNS, toClient, type Client, type ClientRow, type NewClient } from './client-row.ts';
import { type D1Like, replicaReader } from './db.ts';
import { enabledProviderNamesStatement, primeProviderNames } from './upstream-names.ts';

export type { Client, NewClient, RegisteredBy, TokenEndpointAuthMethod } from './client-row.ts';

export async function findClient(db: D1Like, clientId: string): Promise<Client | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM clients WHERE client_id = ?`).bind(clientId).first<ClientRow>();
  return row ? toClient(row) : null;
}

const cache = new Map<string, { client: Client; expiresAtMs: number }>();
const CACHE_MAX_ENTRIES = 1000;

/**
 * Reads a client through a per-isolate cache, from a read replica on a miss, so the login redirect
 * path needs no round trip to the D1 primary. Unknown ids are not cached (a new client is visible at once).
 */
export async function loadClient(db: D1Database, clientId: string): Promise<Client | null> {
  const hit = cache.get(clientId);
  if (hit && hit.expiresAtMs > Date.now()) return hit.client;
  // The sign-in page's provider buttons come in the same replica round trip (upstream-names.ts).
  const replica = replicaReader(db);
  const [row, names] = await replica.batch<ClientRow | { name: string }>([
    replica.prepare(`SELECT ${COLUMNS} FROM clients WHERE client_id = ?`).bind(clientId), enabledProviderNamesStatement(replica),
  ]);
  primeProviderNames((names?.results ?? []) as { name: string }[]);
  const found = row?.results[0] as ClientRow | undefined;
  const client = found ? toClient(found) : null;
  if (client) {
    if (cache.size >= CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(clientId, { client, expiresAtMs: Date.now() + CLIENT_CACHE_TTL_MS });
  } else {
    cache.delete(clientId);
  }
  return client;
}

export function clearClientCache(): void {
  cache.clear();
}

/** Drops one cached record, found stale by a primary read (a rotated or deleted secret). */
export function forgetClient(clientId: string): void {
  cache.delete(clientId);
}

export class ClientExistsError extends Error {}

/** The INSERT of a client row (registered_by as given; registrations.ts adds its own columns in the same batch). */
export function insertClientStatement(db: D1Like, input: NewClient, registeredBy: 'admin' | 'dcr' = 'admin'): D1PreparedStatement {
  const now = nowSeconds();
  return db
    .prepare(
      `INSERT INTO clients (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (client_id) DO NOTHING RETURNING ${COLUMNS}`,
    )
    .bind(
      input.clientId, input.secretHash, input.name, input.tokenEndpointAuthMethod,
      JSON.stringify(input.grantTypes), JSON.stringify(input.scopes), JSON.stringify(input.redirectUris),
      JSON.stringify(input.postLogoutRedirectUris), input.idTokenSignedResponseAlg, input.audience, input.firstParty ? 1 : 0, now, now,
      JSON.stringify(input.resources ?? []), registeredBy, input.mfaPolicy ?? null,
    );
}

export async function insertClient(db: D1Like, input: NewClient): Promise<Client> {
  const row = await insertClientStatement(db, input).first<ClientRow>();
  if (!row) throw new ClientExistsError(`client ${input.clientId} already exists`);
  return toClient(row);
}

export async function listClients(db: D1Like): Promise<Client[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM clients ORDER BY created_at, client_id`).all<ClientRow>();
  return results.map(toClient);
}

/** The client's row; `deleteClient` (cascades.ts) also revokes its tokens and forgets its consents. */
export function deleteClientStatement(db: D1Like, clientId: string): D1PreparedStatement {
  return db.prepare('DELETE FROM clients WHERE client_id = ?').bind(clientId);
}

export async function updateClientSecretHash(db: D1Like, clientId: string, secretHash: string): Promise<boolean> {
  const result = await db
    .prepare("UPDATE clients SET secret_hash = ?, updated_at = ? WHERE client_id = ? AND token_endpoint_auth_method != 'none'")
    .bind(secretHash, nowSeconds(), clientId)
    .run();
  return result.meta.changes > 0;
}

export async function updateRedirectUris(db: D1Like, clientId: string, redirectUris: string[]): Promise<boolean> {
  const result = await db
    .prepare('UPDATE clients SET redirect_uris = ?, updated_at = ? WHERE client_id = ?')
    .bind(JSON.stringify(redirectUris), nowSeconds(), clientId)
    .run();
  return result.meta.changes > 0;
}

/** The settings an administrator may change on an existing client; absent fields stay as they are. */
export interface ClientChanges {
  name?: string;
  grantTypes?: string[];
  scopes?: string[];
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  audience?: string | null;
  resources?: string[];
  firstParty?: boolean;
  /** null: back to the deployment's MFA_POLICY. */
  mfaPolicy?: MfaPolicy | null;
}

const CHANGE_COLUMNS: Record<keyof ClientChanges, string> = {
  name: 'name',
  grantTypes: 'grant_types',
  scopes: 'scopes',
  redirectUris: 'redirect_uris',
  postLogoutRedirectUris: 'post_logout_redirect_uris',
  audience: 'audience',
  resources: 'resources',
  firstParty: 'first_party',
  mfaPolicy: 'mfa_policy',
};

/** Applies the given changes in one statement; returns the updated client, or null when it does not exist. */
export async function updateClient(db: D1Like, clientId: string, changes: ClientChanges): Promise<Client | null> {
  const sets: string[] = [];
  const values: (string | number | null)[] = [];
  for (const field of Object.keys(CHANGE_COLUMNS) as (keyof ClientChanges)[]) {
    const value = changes[field];
    if (value === undefined) continue;
    sets.push(`${CHANGE_COLUMNS[field]} = ?`);
    values.push(Array.isArray(value) ? JSON.stringify(value) : typeof value === 'boolean' ? Number(value) : value);
  }
  sets.push('updated_at = ?');
  values.push(nowSeconds());
  const row = await db
    .prepare(`UPDATE clients SET ${sets.join(', ')} WHERE client_id = ? RETURNING ${COLUMNS}`)
    .bind(...values, clientId)
    .first<ClientRow>();
  return row ? toClient(row) : null;
}
