// Opens the Worker's D1 for the CLI: local state through getPlatformProxy, or any state through wrangler d1 execute.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { D1Like } from '../../src/store/db.ts';
import { withBusyRetry } from './busy-retry.ts';
import { CliError } from './cli-error.ts';
import { applyLocalMigrations, describePending, pendingMigrations } from './migrations.ts';
import type { Project } from './project.ts';
import { WranglerD1 } from './wrangler-d1.ts';

export const D1_BINDING = 'DB';

export type DatabaseMode = 'local' | 'local-via-wrangler' | 'remote';

export interface Database {
  db: D1Like;
  mode: DatabaseMode;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  project: Project;
  mode: DatabaseMode;
  /** wrangler's --persist-to directory (D1 lives under DIR/v3/d1); ignored for remote. */
  persistDir: string;
}

/**
 * getPlatformProxy logs "Using secrets defined in .dev.vars" on stdout, which would break --json output.
 * Wrangler reads WRANGLER_LOG on every log call, so raising it to "warn" meanwhile keeps stdout ours
 * (warnings still reach stderr). WRANGLER_LOG=debug is left alone: whoever sets it wants everything.
 */
async function withQuietWrangler<T>(run: () => Promise<T>): Promise<T> {
  const previous = process.env.WRANGLER_LOG;
  if (previous === 'debug') return run();
  process.env.WRANGLER_LOG = 'warn';
  try {
    return await run();
  } finally {
    if (previous === undefined) delete process.env.WRANGLER_LOG;
    else process.env.WRANGLER_LOG = previous;
  }
}

/**
 * Local: a real D1 binding from getPlatformProxy over the same files `wrangler dev --persist-to DIR`
 * uses (getPlatformProxy's persist path is the v3 directory inside DIR). Remote, or local with
 * --via-wrangler: the wrangler d1 execute shim.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { project, mode, persistDir } = options;
  if (mode !== 'local') {
    const db = new WranglerD1({
      cwd: project.root,
      configPath: project.configPath,
      binding: D1_BINDING,
      location: mode === 'remote' ? { remote: true } : { remote: false, persistDir },
    });
    return { db, mode, close: async () => {} };
  }
  // Imported on demand: loading wrangler costs about a second, which commands without D1 should not pay.
  const { getPlatformProxy, unstable_readConfig: readWranglerConfig } = await import('wrangler');
  // A config with only the D1 binding: the Worker's Durable Object classes live in its script, which the
  // proxy does not load, and wrangler would warn about each of them on stderr.
  const config = readWranglerConfig({ config: project.configPath }, { hideWarnings: true });
  const dir = mkdtempSync(join(tmpdir(), 'edge-oidc-admin-'));
  const configPath = join(dir, 'wrangler.json');
  writeFileSync(configPath, JSON.stringify({ name: config.name, compatibility_date: config.compatibility_date, d1_databases: config.d1_databases }));
  const proxy = await withQuietWrangler(() =>
    getPlatformProxy<{ DB?: D1Database }>({
      configPath,
      persist: { path: join(persistDir, 'v3') },
      remoteBindings: false,
    }),
  ).finally(() => rmSync(dir, { recursive: true, force: true }));
  const db = proxy.env.DB;
  if (!db) {
    await proxy.dispose();
    throw new CliError(`wrangler.toml has no D1 binding named ${D1_BINDING}`);
  }
  return { db: withBusyRetry(db), mode, close: () => proxy.dispose() };
}

/** The deployed D1 is never migrated behind the operator's back: a command on an old schema is refused. */
export function refuseRemotePending(pending: string[], mode: DatabaseMode): void {
  if (mode !== 'remote' || pending.length === 0) return;
  throw new CliError(`the deployed D1 has ${describePending(pending)}: apply them first with npx wrangler d1 migrations apply DB --remote`);
}

/**
 * Opens the database with its schema current. Local: pending migrations are applied first, as npm run dev
 * does, so the CLI works on a fresh clone. Remote: never applied behind the operator's back; refused.
 */
export async function openCurrentDatabase(options: DatabaseOptions): Promise<Database> {
  const database = await openDatabase(options);
  const pending = await pendingMigrations(database.db, options.project).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  if (pending.length === 0) return database;
  await database.close();
  refuseRemotePending(pending, options.mode);
  await applyLocalMigrations(options.project, options.persistDir);
  process.stderr.write(`Applied ${describePending(pending).replace('pending ', '')} to the local D1.\n`);
  return openDatabase(options);
}

/** Turns "no such table" into advice: the migrations have not been applied to this database yet. */
export function explainDatabaseError(message: string, mode: DatabaseMode): string {
  if (!/no such table/i.test(message)) return message;
  const where = mode === 'remote' ? '--remote' : '--local';
  return `${message} (the schema is not applied: run npx wrangler d1 migrations apply DB ${where})`;
}
