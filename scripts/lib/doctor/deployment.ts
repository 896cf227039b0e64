// doctor's checks of the deployment itself: secrets and bindings present (names only, never values), D1 schema current.
import { openDatabase } from '../database.ts';
import { readDevSecrets } from '../dev-vars.ts';
import { describePending, pendingMigrations, pendingRemoteMigrations } from '../migrations.ts';
import type { Project } from '../project.ts';
import { SECRET_NAMES } from '../secrets.ts';
import { runWrangler, wranglerFailure } from '../wrangler.ts';
import type { Check } from './check.ts';


/** wrangler's placeholder ids as committed in wrangler.toml: a deployment must replace them with real ones. */
const PLACEHOLDER_ID = /^0+(-0+)*$/;

async function secretNames(project: Project, remote: boolean): Promise<string[]> {
  if (!remote) {
    const secrets = await readDevSecrets(project);
    return Object.keys(secrets).filter((name) => secrets[name] !== '');
  }
  const output = await runWrangler(['secret', 'list', '--format', 'json', '--config', project.configPath], project.root, { CI: 'true' });
  if (output.code !== 0) throw new Error(`wrangler secret list failed: ${wranglerFailure(output)}`);
  return (JSON.parse(output.stdout) as { name: string }[]).map((s) => s.name);
}

export async function checkSecrets(project: Project, remote: boolean): Promise<Check> {
  const where = remote ? 'wrangler secret list' : '.dev.vars';
  try {
    const present = new Set(await secretNames(project, remote));
    const missing = SECRET_NAMES.filter((name) => !present.has(name));
    if (missing.length > 0) return { check: 'secrets', ok: false, detail: `missing from ${where}: ${missing.join(', ')}` };
    return { check: 'secrets', ok: true, detail: `${SECRET_NAMES.join(', ')} present in ${where}` };
  } catch (error) {
    return { check: 'secrets', ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

/** DB (D1), CODES (KV), THROTTLE and SINGLE_USE (Durable Objects) in wrangler.toml; with --remote, with real ids. */
export async function checkBindings(project: Project, remote: boolean): Promise<Check> {
  const { unstable_readConfig: readConfig } = await import('wrangler');
  const config = readConfig({ config: project.configPath }, { hideWarnings: true });
  const d1 = config.d1_databases.find((d: { binding: string; database_id?: string }) => d.binding === 'DB');
  const kv = config.kv_namespaces.find((k: { binding: string; id?: string }) => k.binding === 'CODES');
  const problems = [
    ...(d1 ? [] : ['D1 binding DB']),
    ...(kv ? [] : ['KV binding CODES']),
    ...['THROTTLE', 'SINGLE_USE']
      .filter((name) => !config.durable_objects.bindings.some((b: { name: string }) => b.name === name))
      .map((name) => `Durable Object binding ${name}`),
  ].map((what) => `no ${what}`);
  if (remote && d1 && PLACEHOLDER_ID.test(d1.database_id ?? '0')) problems.push('DB still has the placeholder database_id');
  if (remote && kv && PLACEHOLDER_ID.test(kv.id ?? '0')) problems.push('CODES still has the placeholder id');
  if (problems.length > 0) return { check: 'bindings', ok: false, detail: `wrangler.toml: ${problems.join('; ')}` };
  return { check: 'bindings', ok: true, detail: 'DB, CODES, THROTTLE and SINGLE_USE bound in wrangler.toml' };
}

export async function checkMigrations(project: Project, remote: boolean, persistDir: string): Promise<Check> {
  const apply = `npx wrangler d1 migrations apply DB ${remote ? '--remote' : '--local'}`;
  try {
    let pending: string[];
    if (remote) pending = await pendingRemoteMigrations(project);
    else {
      const database = await openDatabase({ project, mode: 'local', persistDir });
      pending = await pendingMigrations(database.db, project).finally(() => database.close());
    }
    if (pending.length > 0) return { check: 'migrations', ok: false, detail: `${describePending(pending)}: run ${apply}` };
    return { check: 'migrations', ok: true, detail: 'the D1 schema is current (no pending migrations)' };
  } catch (error) {
    return { check: 'migrations', ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
