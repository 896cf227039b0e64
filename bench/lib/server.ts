// Builds the bench Worker and starts it under `wrangler dev` (local D1 and KV) with throwaway state, fresh secrets and seeded data.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { generateSecrets } from '../../scripts/lib/secrets.ts';
import { hashClientSecret } from '../../src/crypto/digest.ts';
import { hashPassword, importPeppers } from '../../src/crypto/password.ts';
import { freePort } from '../../scripts/lib/net.ts';
import { type BenchPasskey, createBenchPasskey } from './passkey.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
export const BENCH_ENTRY = 'bench/worker/index.ts';
export const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' };
const run = promisify(execFile);

export function wrangler(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env: WRANGLER_ENV, maxBuffer: 64 * 1024 * 1024 });
}

function sql(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

export interface BenchClient {
  clientId: string;
  secret: string;
  redirectUri: string;
}

export interface BenchFixture {
  client: BenchClient;
  usernames: string[];
  password: string;
  /** The passkeys of as many users of their own, who are not among `usernames` (bench/lib/passkey.ts). */
  passkey: BenchPasskey;
}

export interface BenchServer {
  issuer: string;
  /** wrangler's own process: the root of the process tree whose workerd children we measure. */
  pid: number;
  persistDir: string;
  /** wrangler dev's inspector (DevTools protocol), for profiling the Worker by hand. */
  inspectorPort: number;
  secrets: Record<string, string>;
  fixture: BenchFixture;
  output(): string;
  stop(): Promise<void>;
}

const USER_COUNT = 16;

/** Our own users and client, as one SQL file: one `wrangler d1 execute` instead of dozens. */
async function seedSql(peppersSecret: string, fixture: BenchFixture): Promise<string> {
  const peppers = await importPeppers(peppersSecret);
  const now = Math.floor(Date.now() / 1000);
  const lines = ['CREATE TABLE IF NOT EXISTS bench_scratch (id INTEGER PRIMARY KEY, v TEXT);'];
  for (const [i, username] of fixture.usernames.entries()) {
    const hash = await hashPassword(fixture.password, peppers);
    lines.push(
      `INSERT INTO users (id, username, email, email_verified, name, password_hash, disabled, created_at, updated_at) VALUES (${[
        `bench-sub-${i}`, username, `${username}@bench.example`, 1, `Bench User ${i}`, hash, 0, now, now,
      ].map(sql).join(', ')});`,
    );
  }
  // The passkeys belong to users of their own: under MFA_POLICY=optional (wrangler.toml) a password user with a
  // passkey is asked for it as a second factor, and the password scenarios measure the password alone.
  const p = fixture.passkey;
  const passkeyUserHash = await hashPassword(fixture.password, peppers);
  for (const [i, credentialId] of p.credentialIds.entries()) {
    lines.push(
      `INSERT INTO users (id, username, email, email_verified, name, password_hash, disabled, created_at, updated_at) VALUES (${[
        `bench-passkey-sub-${i}`, `bench-passkey-${String(i).padStart(2, '0')}`, `bench-passkey-${i}@bench.example`, 1, `Bench passkey user ${i}`,
        passkeyUserHash, 0, now, now,
      ].map(sql).join(', ')});`,
      `INSERT INTO passkeys (credential_id, user_id, public_key, algorithm, aaguid, nickname, created_at) VALUES (${[
        credentialId, `bench-passkey-sub-${i}`, p.publicKey, -7, '0'.repeat(32), 'Bench passkey', now,
      ].map(sql).join(', ')});`,
    );
  }
  const c = fixture.client;
  lines.push(
    `INSERT INTO clients (client_id, secret_hash, name, token_endpoint_auth_method, grant_types, scopes, redirect_uris, id_token_signed_response_alg, first_party, created_at, updated_at) VALUES (${[
      c.clientId, await hashClientSecret(c.secret), 'Bench relying party', 'client_secret_basic',
      '["authorization_code","refresh_token"]', '["openid","profile","email","offline_access"]',
      JSON.stringify([c.redirectUri]), 'RS256', 1, now, now,
    ].map(sql).join(', ')});`,
  );
  return lines.join('\n');
}

/**
 * Bundles the bench build once, as wrangler would (the project's wrangler.toml, its minify setting), into a
 * directory of its own: wrangler dev then serves that file with --no-bundle, so edits to src/ during a run
 * (wrangler dev watches and reloads) cannot swap the code or reset the isolate mid-measurement.
 */
export async function buildBenchBundle(dir: string): Promise<string> {
  await wrangler(['deploy', '--dry-run', '--config', join(ROOT, 'wrangler.toml'), '--outdir', dir, BENCH_ENTRY]);
  return join(dir, 'index.js');
}

/**
 * `config` is a copy of wrangler.toml taken with the build: wrangler dev also watches its config file and
 * would restart the runtime if someone edited it during the run. The migrations are copied beside it for
 * the same reason, and because wrangler finds migrations_dir relative to the config file.
 */
export async function startBenchServer(bundle: string, config: string): Promise<BenchServer> {
  cpSync(join(ROOT, 'migrations'), join(dirname(config), 'migrations'), { recursive: true });
  // Throwaway state: never the project's .wrangler/state.
  const persistDir = mkdtempSync(join(tmpdir(), 'edge-oidc-bench-'));
  const cleanup = () => rmSync(persistDir, { recursive: true, force: true });
  try {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const secrets: Record<string, string> = await generateSecrets();
    const envFile = join(persistDir, 'bench.env');
    writeFileSync(envFile, Object.entries(secrets).map(([k, v]) => `${k}='${v}'`).join('\n') + '\n');
    const fixture: BenchFixture = {
      client: { clientId: 'bench-rp', secret: 'bench-secret-0123456789abcdef0123456789abcdef', redirectUri: 'https://rp.bench.example/callback' },
      usernames: Array.from({ length: USER_COUNT }, (_, i) => `bench-user-${String(i).padStart(2, '0')}`),
      password: 'bench correct horse battery staple',
      passkey: await createBenchPasskey(USER_COUNT),
    };
    const seedFile = join(persistDir, 'seed.sql');
    await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--config', config, '--persist-to', persistDir]);
    writeFileSync(seedFile, await seedSql(secrets.PASSWORD_PEPPER!, fixture));
    await wrangler(['d1', 'execute', 'DB', '--local', '--config', config, '--persist-to', persistDir, '--file', seedFile]);

    const inspectorPort = await freePort();
    const child: ChildProcess = spawn(process.execPath, [
      WRANGLER, 'dev', bundle, '--no-bundle', '--config', config, '--port', String(port), '--ip', '127.0.0.1', '--persist-to', persistDir,
      '--env-file', envFile, '--var', `ISSUER:${issuer}`, '--log-level', 'warn',
      '--show-interactive-dev-session=false', '--inspector-port', String(inspectorPort),
    ], { cwd: ROOT, env: WRANGLER_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });

    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => {
          const timer = setTimeout(() => { child.kill('SIGKILL'); r(null); }, 5000);
          child.once('exit', () => { clearTimeout(timer); r(null); });
        });
      }
      cleanup();
    };

    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output}`);
      try {
        const res = await fetch(`${issuer}/__bench/empty`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`wrangler dev did not start within 90 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return { issuer, pid: child.pid!, persistDir, inspectorPort, secrets, fixture, output: () => output, stop };
  } catch (err) {
    cleanup();
    throw err;
  }
}
