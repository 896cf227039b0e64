// The enabled providers' names for the sign-in page's buttons, per isolate: read alongside a client, never on their own
// in the password path (docs/performance.md: the sign-in budget). A stale list is shown while a replica read refreshes it.
import { CLIENT_CACHE_TTL_MS } from '../constants.ts';
import type { D1Like } from './db.ts';

let cached: { names: string[]; expiresAtMs: number } | null = null;

export function enabledProviderNamesStatement(db: D1Like): D1PreparedStatement {
  return db.prepare('SELECT name FROM upstream_providers WHERE enabled = 1 ORDER BY name');
}

/** Records what a read (the client's batch, or a refresh) found; as fresh as the client cache. */
export function primeProviderNames(rows: readonly { name: string }[]): string[] {
  const names = rows.map((r) => r.name);
  cached = { names, expiresAtMs: Date.now() + CLIENT_CACHE_TTL_MS };
  return names;
}

async function readNames(db: D1Like): Promise<string[]> {
  return primeProviderNames((await enabledProviderNamesStatement(db).all<{ name: string }>()).results);
}

/**
 * The names from this isolate's memory; stale ones are used while `defer` refreshes them off the response path. Only an
 * isolate that never loaded a client reads them on the path (one replica read).
 */
export async function providerNames(db: D1Like, defer: (work: Promise<unknown>) => void): Promise<string[]> {
  if (cached && cached.expiresAtMs > Date.now()) return cached.names;
  if (cached) {
    defer(readNames(db).catch(() => undefined));
    return cached.names;
  }
  return readNames(db);
}

/** Tests: forget the list, as a new isolate would. */
export function clearProviderNames(): void {
  cached = null;
}
