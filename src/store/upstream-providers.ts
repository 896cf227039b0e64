// Upstream identity providers in D1 (issue 15): the rows the admin CLI writes and the sign-in reads.
import type { D1Like } from './db.ts';
import { parseJsonArray } from './db.ts';

export const UPSTREAM_KINDS = ['oidc', 'google', 'microsoft', 'github'] as const;
export type UpstreamKind = (typeof UPSTREAM_KINDS)[number];

export interface UpstreamProvider {
  name: string;
  kind: UpstreamKind;
  issuer: string;
  tenant: string | null;
  clientId: string;
  /** The ciphertext (purpose 'upstream-client-secret', subject the name); decrypted only to be sent. */
  clientSecret: string;
  scopes: string[];
  trustEmail: boolean;
  allowedDomains: string[];
  enabled: boolean;
  keepTokens: boolean;
  createdAt: number;
  updatedAt: number;
}

interface ProviderRow {
  name: string; kind: UpstreamKind; issuer: string; tenant: string | null; client_id: string; client_secret: string;
  scopes: string; trust_email: number; allowed_domains: string; enabled: number; keep_tokens: number;
  created_at: number; updated_at: number;
}

const COLUMNS = 'name, kind, issuer, tenant, client_id, client_secret, scopes, trust_email, allowed_domains, enabled, keep_tokens, created_at, updated_at';

function toProvider(row: ProviderRow): UpstreamProvider {
  return {
    name: row.name, kind: row.kind, issuer: row.issuer, tenant: row.tenant, clientId: row.client_id,
    clientSecret: row.client_secret, scopes: parseJsonArray(row.scopes), trustEmail: row.trust_email === 1,
    allowedDomains: parseJsonArray(row.allowed_domains), enabled: row.enabled === 1, keepTokens: row.keep_tokens === 1,
    createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

function values(p: UpstreamProvider): unknown[] {
  return [
    p.name, p.kind, p.issuer, p.tenant, p.clientId, p.clientSecret, JSON.stringify(p.scopes), p.trustEmail ? 1 : 0,
    JSON.stringify(p.allowedDomains), p.enabled ? 1 : 0, p.keepTokens ? 1 : 0, p.createdAt, p.updatedAt,
  ];
}

export class ProviderExistsError extends Error {}

export async function insertProvider(db: D1Like, provider: UpstreamProvider): Promise<void> {
  const result = await db.prepare(`INSERT INTO upstream_providers (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`)
    .bind(...values(provider)).run();
  if ((result.meta.changes ?? 0) === 0) throw new ProviderExistsError(`a provider named ${provider.name} exists`);
}

/** Replaces every column but the name and created_at; false when the provider is gone. */
export async function updateProvider(db: D1Like, p: UpstreamProvider): Promise<boolean> {
  const result = await db.prepare(
    'UPDATE upstream_providers SET kind = ?, issuer = ?, tenant = ?, client_id = ?, client_secret = ?, scopes = ?, trust_email = ?, allowed_domains = ?, enabled = ?, keep_tokens = ?, updated_at = ? WHERE name = ?',
  ).bind(...values(p).slice(1, 11), p.updatedAt, p.name).run();
  return (result.meta.changes ?? 0) > 0;
}

export async function findProvider(db: D1Like, name: string): Promise<UpstreamProvider | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM upstream_providers WHERE name = ?`).bind(name).first<ProviderRow>();
  return row ? toProvider(row) : null;
}

export async function listProviders(db: D1Like): Promise<UpstreamProvider[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM upstream_providers ORDER BY name`).all<ProviderRow>();
  return results.map(toProvider);
}

/** The names the sign-in page shows a button for, in order. */
export async function listEnabledProviderNames(db: D1Like): Promise<string[]> {
  const { results } = await db.prepare('SELECT name FROM upstream_providers WHERE enabled = 1 ORDER BY name').all<{ name: string }>();
  return results.map((r) => r.name);
}

/** Removing a provider removes its links too (its users keep their other ways to sign in). */
export async function deleteProvider(db: D1Like, name: string): Promise<boolean> {
  const [result] = await db.batch([
    db.prepare('DELETE FROM upstream_providers WHERE name = ?').bind(name),
    db.prepare('DELETE FROM upstream_links WHERE provider = ?').bind(name),
  ]);
  return (result?.meta.changes ?? 0) > 0;
}
