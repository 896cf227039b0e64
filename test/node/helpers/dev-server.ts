// Starts `wrangler dev` on a free loopback port with its own throwaway state, secrets and seed data.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { hashClientSecret } from '../../../src/crypto/digest.ts';
import { hashPassword, importPeppers } from '../../../src/crypto/password.ts';
import { randomToken } from '../../../src/crypto/random.ts';
import { generateSecrets } from '../../../scripts/lib/secrets.ts';
import { freePort } from '../../../scripts/lib/net.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
const run = promisify(execFile);
// wrangler at its default log level: its --json answers and "Ready on" line are printed at info level, which the
// WRANGLER_LOG=warn that vitest.config.ts sets for the runner would hide. Children's output is captured, not shown.
const { WRANGLER_LOG: _runnerLogLevel, ...inherited } = process.env;
const ENV = { ...inherited, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' };

export function wrangler(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env: ENV, maxBuffer: 16 * 1024 * 1024 });
}

function sql(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

export interface SeedClient {
  clientId: string;
  secret: string | null;
  redirectUris: string[];
  authMethod?: 'client_secret_basic' | 'client_secret_post' | 'none';
  idTokenAlg?: 'RS256' | 'ES256';
  grantTypes?: string[];
  scopes?: string[];
  postLogoutRedirectUris?: string[];
  audience?: string;
  /** Default true: the interop clients are the service's own apps (no consent page, as in wave 1). */
  firstParty?: boolean;
  /** The client's own second-factor policy (clients.mfa_policy); default: the deployment's MFA_POLICY. */
  mfaPolicy?: 'off' | 'optional' | 'required';
}

export interface SeedUser {
  username: string;
  password: string;
  email: string;
  name: string;
}

export interface DevServer {
  issuer: string;
  port: number;
  persistDir: string;
  secrets: Record<string, string>;
  /** Runs SQL against the server's local D1. */
  execute(statement: string): Promise<unknown[]>;
  addClient(client: SeedClient): Promise<void>;
  addUser(user: SeedUser): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `issuerScheme: 'https'` names the issuer https://127.0.0.1:PORT while wrangler dev serves plain http there, for
 * relying parties that refuse http issuers and take no option to allow them; the test then maps https to http
 * in its own fetch (see e2e-hono-oidc-auth.test.ts). `devMode` sets DEV_MODE=true, as npm run dev does (the dev outbox);
 * `vars` sets further vars (SIGNUP, say).
 */
export async function startDevServer(
  options: { issuerScheme?: 'http' | 'https'; vars?: Record<string, string>; devMode?: boolean; issuerHost?: 'localhost' | '127.0.0.1' } = {},
): Promise<DevServer> {
  const persistDir = mkdtempSync(join(tmpdir(), 'edge-oidc-e2e-'));
  const port = await freePort();
  // WebAuthn needs a domain for its RP ID, never an IP address: passkey tests name the issuer localhost; and a second instance beside one on 127.0.0.1 keeps its own cookies (RFC 6265 §8.5: not by port).
  const issuer = `${options.issuerScheme ?? 'http'}://${options.issuerHost ?? '127.0.0.1'}:${port}`;
  const secrets = await generateSecrets();
  const envFile = join(persistDir, 'test.env');
  writeFileSync(envFile, Object.entries(secrets).map(([k, v]) => `${k}='${v}'`).join('\n') + '\n');
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistDir]);
  const peppers = await importPeppers(secrets.PASSWORD_PEPPER);

  const execute = async (statement: string): Promise<unknown[]> => {
    const { stdout } = await wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persistDir, '--json', '--command', statement]);
    const parsed = JSON.parse(stdout) as { results: unknown[] }[];
    return parsed.flatMap((r) => r.results);
  };

  const child: ChildProcess = spawn(process.execPath, [
    WRANGLER, 'dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', persistDir, '--env-file', envFile,
    '--var', `ISSUER:${issuer}`, ...(options.devMode ? ['--var', 'DEV_MODE:true'] : []),
    ...Object.entries(options.vars ?? {}).flatMap(([k, v]) => ['--var', `${k}:${v}`]), '--log-level', 'warn', '--show-interactive-dev-session=false', '--inspector-port', String(await freePort()),
  ], { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`wrangler dev did not start within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    issuer, port, persistDir, secrets, execute,
    async addClient(c) {
      const now = Math.floor(Date.now() / 1000);
      const method = c.authMethod ?? (c.secret ? 'client_secret_basic' : 'none');
      const secretHash = c.secret ? await hashClientSecret(c.secret) : null;
      await execute(
        `INSERT INTO clients (client_id, secret_hash, name, token_endpoint_auth_method, grant_types, scopes, redirect_uris, post_logout_redirect_uris, id_token_signed_response_alg, audience, first_party, mfa_policy, created_at, updated_at) VALUES (${[
          c.clientId, secretHash, `E2E ${c.clientId}`, method, JSON.stringify(c.grantTypes ?? ['authorization_code', 'refresh_token']),
          JSON.stringify(c.scopes ?? ['openid', 'profile', 'email', 'offline_access']), JSON.stringify(c.redirectUris),
          JSON.stringify(c.postLogoutRedirectUris ?? []), c.idTokenAlg ?? 'RS256', c.audience ?? null, c.firstParty === false ? 0 : 1,
          c.mfaPolicy ?? null, now, now,
        ].map(sql).join(', ')})`,
      );
    },
    async addUser(u) {
      const now = Math.floor(Date.now() / 1000);
      const hash = await hashPassword(u.password, peppers);
      await execute(
        `INSERT INTO users (id, username, email, email_verified, name, password_hash, disabled, created_at, updated_at) VALUES (${[
          randomToken(16), u.username, u.email, 1, u.name, hash, 0, now, now,
        ].map(sql).join(', ')})`,
      );
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => { child.once('exit', r); setTimeout(() => { child.kill('SIGKILL'); r(null); }, 5000); });
      }
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
}

/** A minimal cookie jar for the one session cookie a browser would keep. */
export class Browser {
  cookie = '';

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('Cookie', this.cookie);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    const set = res.headers.get('Set-Cookie');
    const match = set ? /((?:__Host-)?edge_oidc_session=[^;]*)/.exec(set) : null;
    if (match) this.cookie = match[1]!.endsWith('=') ? '' : match[1]!;
    return res;
  }

  /** Submits a same-origin form, as the browser does from one of our pages. */
  post(url: string, fields: Record<string, string>, origin: string): Promise<Response> {
    return this.fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
      body: new URLSearchParams(fields),
    });
  }
}

export function hiddenField(html: string, name = 'tx'): string {
  const value = new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];
  if (!value) throw new Error(`no ${name} field in page: ${html.slice(0, 300)}`);
  return value.replace(/&amp;/g, '&');
}

/** What a browser does with the login form: follow /authorize, submit credentials, return the redirect. */
export async function browserSignIn(authorizationUrl: string, username: string, password: string, issuer: string): Promise<URL> {
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}: ${page.headers.get('Location') ?? ''} ${await page.text()}`);
  const html = await page.text();
  const tx = /name="tx" value="([^"]+)"/.exec(html)?.[1];
  if (!tx) throw new Error('no login form');
  const res = await fetch(`${issuer}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: issuer },
    body: new URLSearchParams({ tx: tx.replace(/&amp;/g, '&'), username, password }),
  });
  if (res.status !== 303) throw new Error(`login answered ${res.status}: ${await res.text()}`);
  return new URL(res.headers.get('Location')!);
}
