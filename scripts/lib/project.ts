// Where the project is: the nearest directory holding wrangler.toml, and the local state directory wrangler uses.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError } from './cli-error.ts';

export interface Project {
  root: string;
  configPath: string;
  /** The numbered D1 migrations (wrangler.toml migrations_dir). */
  migrationsDir: string;
}

/** Like wrangler: the nearest wrangler.toml from the working directory upwards. */
export function findProject(cwd = process.cwd()): Project {
  let dir = resolve(cwd);
  for (;;) {
    const configPath = join(dir, 'wrangler.toml');
    if (existsSync(configPath)) return { root: dir, configPath, migrationsDir: join(dir, 'migrations') };
    const parent = dirname(dir);
    if (parent === dir) throw new CliError('no wrangler.toml here or above: run this inside the edge-oidc project');
    dir = parent;
  }
}

/**
 * wrangler's local state directory: `--persist-to DIR` is relative to the working directory, the
 * default is .wrangler/state beside wrangler.toml. D1 and KV live under DIR/v3.
 */
export function resolvePersistDir(project: Project, persistTo: string | undefined): string {
  return persistTo ? resolve(process.cwd(), persistTo) : join(project.root, '.wrangler', 'state');
}
