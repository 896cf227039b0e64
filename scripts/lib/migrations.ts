// The numbered D1 migrations (migrations/): which are pending for a database, and applying them with wrangler.
import { existsSync, readdirSync } from 'node:fs';
import type { D1Like } from '../../src/store/db.ts';
import { CliError } from './cli-error.ts';
import type { Project } from './project.ts';
import { runWrangler, wranglerFailure } from './wrangler.ts';

/** wrangler's own table of applied migrations (its default migrations_table). */
export const MIGRATIONS_TABLE = 'd1_migrations';

/** The migration files in the order wrangler applies them: every *.sql in migrations/, by name. */
export function migrationFiles(project: Project): string[] {
  if (!existsSync(project.migrationsDir)) throw new CliError(`no migrations directory at ${project.migrationsDir}`);
  return readdirSync(project.migrationsDir).filter((name) => name.endsWith('.sql')).sort();
}

/** Names recorded in d1_migrations; none when the table does not exist yet (a fresh or a wave-1 database). */
export async function appliedMigrations(db: D1Like): Promise<string[]> {
  try {
    const { results } = await db.prepare(`SELECT name FROM ${MIGRATIONS_TABLE}`).all<{ name: string }>();
    return results.map((row) => row.name);
  } catch (error) {
    if (/no such table/i.test(String(error))) return [];
    throw error;
  }
}

export async function pendingMigrations(db: D1Like, project: Project): Promise<string[]> {
  const applied = new Set(await appliedMigrations(db));
  return migrationFiles(project).filter((name) => !applied.has(name));
}

/**
 * `wrangler d1 migrations apply DB --local`: the one way the schema reaches a local database. wrangler
 * asks for confirmation unless it sees no TTY or CI; execFile gives it pipes, and CI=true says so outright.
 */
export async function applyLocalMigrations(project: Project, persistDir: string): Promise<void> {
  const output = await runWrangler(
    ['d1', 'migrations', 'apply', 'DB', '--local', '--config', project.configPath, '--persist-to', persistDir],
    project.root,
    { CI: 'true', NO_COLOR: '1' },
  );
  if (output.code !== 0) throw new CliError(`applying the D1 migrations failed: ${wranglerFailure(output)}`);
}

/** The pending names in `wrangler d1 migrations list` output (a table of names, or "No migrations to apply"). */
export function parseMigrationsList(stdout: string): string[] {
  return [...stdout.matchAll(/^│\s*(\S+\.sql)\s*│/gmu)].map((match) => match[1]!);
}

/** Pending migrations of the deployed D1, by name, through `wrangler d1 migrations list DB --remote`. */
export async function pendingRemoteMigrations(project: Project): Promise<string[]> {
  const output = await runWrangler(
    ['d1', 'migrations', 'list', 'DB', '--remote', '--config', project.configPath],
    project.root,
    { CI: 'true', NO_COLOR: '1' },
  );
  if (output.code !== 0) throw new CliError(`wrangler d1 migrations list --remote failed: ${wranglerFailure(output)}`);
  return parseMigrationsList(output.stdout);
}

export function describePending(pending: string[]): string {
  return `${pending.length} pending migration${pending.length === 1 ? '' : 's'} (${pending.join(', ')})`;
}
