// Runs the admin CLI and dev script as a user would (node 24, real wrangler, throwaway state) for test/node.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getPlatformProxy, unstable_readConfig as readWranglerConfig } from 'wrangler';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  /** Written to stdin, which is then closed; without it stdin is an empty pipe (never a TTY). */
  input?: string;
  env?: Record<string, string | undefined>;
}

function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false', ...extra };
  // Keep the developer's own settings from changing what the tests see.
  if (!('PASSWORD_PEPPER' in extra)) delete env.PASSWORD_PEPPER;
  if (!('WRANGLER_LOG' in extra)) delete env.WRANGLER_LOG;
  return env;
}

export function runNode(script: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, script), ...args], {
      cwd: options.cwd ?? ROOT,
      env: cleanEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** `npm run -s admin -- ARGS`, exactly as the docs tell an operator to run it (its stdout is only the command's). */
export function runAdminViaNpm(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('npm', ['run', '-s', 'admin', '--', ...args], { cwd: options.cwd ?? ROOT, env: cleanEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

export function runWranglerCli(args: string[], cwd = ROOT): Promise<RunResult> {
  return runNode('node_modules/wrangler/bin/wrangler.js', args, { cwd });
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `edge-oidc-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function applyMigrations(persistDir: string, cwd = ROOT): Promise<void> {
  const result = await runWranglerCli(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistDir], cwd);
  if (result.code !== 0) throw new Error(`migrations: ${result.stderr || result.stdout}`);
}

/**
 * Reads the local D1 directly (wrangler's persist layout: DIR/v3), the way wrangler dev would. The proxy
 * gets a config with only the D1 binding, in a directory without .dev.vars: the Durable Object classes
 * live in the Worker's script, which the proxy does not load (wrangler would warn about each on stderr),
 * and no secret is needed to read rows.
 */
export async function withLocalDb<T>(persistDir: string, read: (db: D1Database) => Promise<T>, cwd = ROOT): Promise<T> {
  const config = readWranglerConfig({ config: join(cwd, 'wrangler.toml') }, { hideWarnings: true });
  const dir = makeTempDir('d1-config');
  const configPath = join(dir, 'wrangler.json');
  writeFileSync(configPath, JSON.stringify({ name: config.name, compatibility_date: config.compatibility_date, d1_databases: config.d1_databases }));
  try {
    const proxy = await getPlatformProxy<{ DB: D1Database }>({ configPath, persist: { path: join(persistDir, 'v3') }, remoteBindings: false });
    try {
      return await read(proxy.env.DB);
    } finally {
      await proxy.dispose();
    }
  } finally {
    removeDir(dir);
  }
}

/** An error as the CLI must print it: exactly one line, prefixed, no stack frames. */
export function expectOneLineError(result: RunResult): string {
  const lines = result.stderr.trimEnd().split('\n');
  if (result.code === 0) throw new Error(`expected failure, got exit 0: ${result.stdout}`);
  if (lines.length !== 1 || !lines[0]!.startsWith('error: ') || /\n\s+at /.test(result.stderr)) {
    throw new Error(`expected a one-line error, got: ${result.stderr}`);
  }
  return lines[0]!;
}
