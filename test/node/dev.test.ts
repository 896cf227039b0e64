// npm run dev in a throwaway copy of the project: .dev.vars, schema, demo seeding, the gateway's URL, and both wrangler devs.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unstable_getVarsForDev as getVarsForDev } from 'wrangler';
import { verifyClientSecret } from '../../src/crypto/digest.ts';
import { importKeySet } from '../../src/crypto/keys.ts';
import { importPeppers, verifyPassword } from '../../src/crypto/password.ts';
import { freePortPair } from '../../scripts/lib/net.ts';
import { makeTempDir, removeDir, ROOT, runNode, withLocalDb, type RunResult } from './cli-harness.ts';

// Each run starts node, wrangler and workerd (seconds each, several times that on a loaded machine).
const SLOW = 300_000;
let project: string;
let state: string;

interface Banner {
  issuer: string;
  clientSecret: string;
  password: string;
  gatewayUrl: string;
}

function readBanner(result: RunResult): Banner {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const out = result.stdout;
  const pick = (pattern: RegExp) => {
    const match = pattern.exec(out);
    if (!match) throw new Error(`${pattern} not in:\n${out}`);
    return match[1]!;
  };
  return {
    issuer: pick(/^ {2}issuer: +(\S+)$/m),
    clientSecret: pick(/client_id demo +client_secret (\S+)$/m),
    password: pick(/username demo +password (\S+)/m),
    gatewayUrl: pick(/^ {2}(http\S+)$/m),
  };
}

function dev(args: string[]): Promise<RunResult> {
  return runNode('scripts/dev.ts', ['--no-start', '--persist-to', 'state', ...args], { cwd: project });
}

function devSecrets(): Record<string, string> {
  const vars = getVarsForDev(join(project, 'wrangler.toml'), undefined, {}, undefined, true);
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v.value)]));
}

async function readDemo() {
  return withLocalDb(state, async (db) => ({
    clients: (await db.prepare("SELECT client_id, secret_hash, redirect_uris, post_logout_redirect_uris, audience, grant_types, token_endpoint_auth_method, name, first_party FROM clients").all<Record<string, string>>()).results,
    users: (await db.prepare("SELECT username, email, email_verified, name, password_hash FROM users").all<Record<string, string | number>>()).results,
    creations: (await db.prepare("SELECT count(*) AS n FROM audit_events WHERE type IN ('admin.client.create', 'admin.user.create')").first<{ n: number }>())!.n,
  }), project);
}

function withoutWranglerLog(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.WRANGLER_LOG;
  return env;
}

beforeAll(() => {
  project = makeTempDir('dev');
  state = join(project, 'state');
  copyFileSync(join(ROOT, 'wrangler.toml'), join(project, 'wrangler.toml'));
  cpSync(join(ROOT, 'migrations'), join(project, 'migrations'), { recursive: true });
  symlinkSync(join(ROOT, 'src'), join(project, 'src'));
  symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));
});

afterAll(() => removeDir(project));

describe('npm run dev (--no-start)', () => {
  let first: Banner;

  it('writes .dev.vars that wrangler parses back to working secrets, and seeds the demo client and user', async () => {
    const result = await dev([]);
    expect(result.stdout).toContain('Wrote .dev.vars');
    first = readBanner(result);
    expect(first.issuer).toBe('http://localhost:8787');

    const devVarsPath = join(project, '.dev.vars');
    expect(statSync(devVarsPath).mode & 0o077).toBe(0);
    const secrets = devSecrets();
    expect(Object.keys(secrets).sort()).toEqual(['DATA_ENCRYPTION_KEY', 'PASSWORD_PEPPER', 'SESSION_SECRET', 'SIGNING_KEYS']);
    const keys = await importKeySet(secrets.SIGNING_KEYS!);
    expect([...keys.signing.keys()].sort()).toEqual(['ES256', 'RS256']);
    const peppers = await importPeppers(secrets.PASSWORD_PEPPER!);
    expect(secrets.SESSION_SECRET).toMatch(/^[A-Za-z0-9_-]{43,}$/);

    const { clients, users } = await readDemo();
    expect(clients).toHaveLength(1);
    expect(clients[0]).toMatchObject({
      client_id: 'demo', name: 'Demo client', token_endpoint_auth_method: 'client_secret_basic',
      grant_types: '["authorization_code","refresh_token"]',
      redirect_uris: '["http://localhost:8787/dev/callback","http://localhost:8788/callback"]',
      // The demo and gateway app is the service's own: no consent page, refresh tokens without prompt=consent.
      first_party: 1,
    });
    expect(await verifyClientSecret(first.clientSecret, clients[0]!.secret_hash!)).toBe(true);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ username: 'demo', email: 'demo@example.com', email_verified: 1, name: 'Demo User' });
    expect((await verifyPassword(first.password, users[0]!.password_hash as string, peppers)).ok).toBe(true);

    const saved = join(state, 'edge-oidc-demo.json');
    expect(statSync(saved).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toEqual({
      client_id: 'demo', client_secret: first.clientSecret, username: 'demo', password: first.password,
    });
  }, SLOW);

  it('registers the demo client for the gateway and prints only the gateway\'s URL to open', async () => {
    expect(first.gatewayUrl).toBe('http://localhost:8788');
    const { clients } = await readDemo();
    expect(clients[0]).toMatchObject({ post_logout_redirect_uris: '["http://localhost:8788/"]', audience: 'http://localhost:8788' });
    const gatewaySecrets = readFileSync(join(state, 'gateway.env'), 'utf8');
    expect(gatewaySecrets).toContain(`CLIENT_SECRET='${first.clientSecret}'`);
    expect(gatewaySecrets).toMatch(/^SESSION_SECRET='[A-Za-z0-9_-]{43}'$/m);
    expect(statSync(join(state, 'gateway.env')).mode & 0o077).toBe(0);
  }, SLOW);

  it('is idempotent: keeps .dev.vars byte for byte and prints the same credentials', async () => {
    const before = readFileSync(join(project, '.dev.vars'));
    const again = await dev([]);
    expect(again.stdout).not.toContain('Wrote .dev.vars');
    expect(again.stdout).not.toContain('Seeded:');
    const banner = readBanner(again);
    expect(banner.clientSecret).toBe(first.clientSecret);
    expect(banner.password).toBe(first.password);
    expect(banner.gatewayUrl).toBe(first.gatewayUrl);
    expect(readFileSync(join(project, '.dev.vars')).equals(before)).toBe(true);
    const { clients, users, creations } = await readDemo();
    expect([clients.length, users.length, creations]).toEqual([1, 1, 2]);
  }, SLOW);

  it('names the MCP server example with --mcp, and still prints the gateway\'s URL last', async () => {
    const result = await dev(['--mcp']);
    expect(readBanner(result).gatewayUrl).toBe('http://localhost:8788');
    expect(result.stdout).toMatch(/^ {2}MCP server: +http:\/\/localhost:8789\/mcp +\(MCP clients register themselves: CLIENT_REGISTRATION=open\)$/m);
    expect((await dev([])).stdout).not.toContain('MCP server');
  }, SLOW);

  it('rotates the secret and resets the password when the saved file is gone, and adds a secret .dev.vars lacks', async () => {
    unlinkSync(join(state, 'edge-oidc-demo.json'));
    const devVars = join(project, '.dev.vars');
    const kept = devSecrets();
    writeFileSync(devVars, readFileSync(devVars, 'utf8').replace(/^DATA_ENCRYPTION_KEY=.*\n/m, ''));
    const result = await dev([]);
    expect(result.stdout).toContain('Added DATA_ENCRYPTION_KEY to .dev.vars.');
    const now = devSecrets();
    expect(now.DATA_ENCRYPTION_KEY).toMatch(/^1:[A-Za-z0-9_-]{43}$/);
    expect(now.DATA_ENCRYPTION_KEY).not.toBe(kept.DATA_ENCRYPTION_KEY);
    expect([now.PASSWORD_PEPPER, now.SESSION_SECRET, now.SIGNING_KEYS]).toEqual([kept.PASSWORD_PEPPER, kept.SESSION_SECRET, kept.SIGNING_KEYS]);
    expect(result.stdout).toContain('rotated the demo client secret');
    expect(result.stdout).toContain('reset the demo user password');
    const banner = readBanner(result);
    expect(banner.clientSecret).not.toBe(first.clientSecret);
    expect(banner.password).not.toBe(first.password);
    const { clients, users } = await readDemo();
    expect(await verifyClientSecret(banner.clientSecret, clients[0]!.secret_hash!)).toBe(true);
    expect(await verifyClientSecret(first.clientSecret, clients[0]!.secret_hash!)).toBe(false);
    const peppers = await importPeppers(devSecrets().PASSWORD_PEPPER!);
    expect((await verifyPassword(banner.password, users[0]!.password_hash as string, peppers)).ok).toBe(true);
    expect(existsSync(join(state, 'edge-oidc-demo.json'))).toBe(true);
    first = banner;
  }, SLOW);

  it('takes the issuer from --port, and a forwarded --var ISSUER over it, adding each callback', async () => {
    const byPort = readBanner(await dev(['--port', '9555']));
    expect(byPort.issuer).toBe('http://localhost:9555');
    expect(byPort.gatewayUrl).toBe('http://localhost:9556');
    expect(byPort.clientSecret).toBe(first.clientSecret);

    const byVar = await dev(['--port', '9555', '--var', 'ISSUER:http://127.0.0.1:9556']);
    expect(readBanner(byVar).issuer).toBe('http://127.0.0.1:9556');
    expect(byVar.stdout).toContain('added http://127.0.0.1:9556/dev/callback to the demo client');
    expect(byVar.stdout).toContain('added http://127.0.0.1:9556/callback to the demo client');
    const { clients } = await readDemo();
    expect(JSON.parse(clients[0]!.redirect_uris!)).toEqual([
      'http://localhost:8787/dev/callback', 'http://localhost:8788/callback', 'http://localhost:9555/dev/callback',
      'http://localhost:9556/callback', 'http://127.0.0.1:9556/dev/callback', 'http://127.0.0.1:9556/callback',
    ]);
  }, SLOW);

  it('lets the admin CLI hash with the PASSWORD_PEPPER from .dev.vars by default', async () => {
    const created = await runNode('scripts/admin.ts', ['user', 'create', '--username', 'devuser', '--password-stdin', '--persist-to', 'state', '--json'], {
      cwd: project, input: 'pepper from dev vars\n',
    });
    expect(created.stderr).toBe('');
    const row = await withLocalDb(state, (db) => db.prepare("SELECT password_hash FROM users WHERE username = 'devuser'").first<{ password_hash: string }>(), project);
    const peppers = await importPeppers(devSecrets().PASSWORD_PEPPER!);
    expect((await verifyPassword('pepper from dev vars', row!.password_hash, peppers)).ok).toBe(true);
  }, SLOW);
});

describe('npm run dev (starting wrangler dev)', () => {
  it('prints its banner last, serves discovery and the / page for the issuer on the forwarded port, sees CLI writes live, and stops on SIGTERM', async () => {
    const port = await freePortPair();
    const child = spawn(process.execPath, [join(ROOT, 'scripts/dev.ts'), '--persist-to', 'state', '--port', String(port), '--ip', '127.0.0.1'], {
      // wrangler at its default level, as a developer runs it (vitest.config.ts quiets wrangler in the runner).
      cwd: project, env: { ...withoutWranglerLog(), WRANGLER_SEND_METRICS: 'false' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { output += d; stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    try {
      // The banner comes once both Workers answer, and nothing follows it until a request is made.
      for (let i = 0; i < 360 && !/^ {2}http\S+\n\n$/m.test(stdout.slice(-80)); i++) {
        if (child.exitCode !== null) throw new Error(`npm run dev exited early:\n${output}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      // Both Workers answer (the gateway logs no requests, so asking it adds no line) and still nothing follows.
      let gatewayUp = false;
      for (let i = 0; i < 360 && !gatewayUp; i++) {
        gatewayUp = (await fetch(`http://127.0.0.1:${port + 1}/style.css`).catch(() => undefined))?.ok === true;
        if (!gatewayUp) await new Promise((r) => setTimeout(r, 500));
      }
      const banner = stdout.slice(stdout.lastIndexOf('edge-oidc (development)'));
      expect(banner, output).toMatch(/^edge-oidc \(development\)\n {2}issuer: +http:\/\/localhost:\d+\n/);
      expect(banner).toMatch(/demo user: +username demo +password \S+\n/);
      expect(banner.trimEnd().split('\n').pop()).toBe(`  http://localhost:${port + 1}`);
      expect(output).not.toMatch(/Request\.cf|getaddrinfo|following bindings|env\.SIGNING_KEYS|Ready on|Using secrets/);

      const discovery = await fetch(`${base}/.well-known/openid-configuration`);
      expect(discovery.status).toBe(200);
      const metadata = (await discovery.json()) as { issuer: string; authorization_endpoint: string };
      expect(metadata.issuer).toBe(`http://localhost:${port}`);

      // In dev mode the provider's / is a page pointing at the gateway and discovery.
      const home = await fetch(`${base}/`);
      expect(home.status).toBe(200);
      const page = await home.text();
      expect(page).toContain(`href="http://localhost:${port + 1}"`);
      expect(page).toContain(`href="http://localhost:${port}/.well-known/openid-configuration"`);

      // The printed URL is the gateway's, and its "Sign in" leads to the provider's login form.
      const gatewayUrl = /^ {2}(http\S+)$/m.exec(output)![1]!.replace('localhost', '127.0.0.1');
      expect(gatewayUrl).toBe(`http://127.0.0.1:${port + 1}`);
      let start: Response | undefined;
      for (let i = 0; i < 180 && !start; i++) {
        start = await fetch(`${gatewayUrl}/login`, { redirect: 'manual' }).catch(() => undefined);
        if (!start) await new Promise((r) => setTimeout(r, 500));
      }
      expect(start?.status, output).toBe(302);
      const authorizeUrl = new URL(start!.headers.get('Location')!);
      expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(`http://localhost:${port + 1}/callback`);
      expect((await fetch(authorizeUrl.href.replace('localhost', '127.0.0.1'))).status).toBe(200);

      // What the CLI writes while the server runs is what the server reads.
      const authorize = (clientId: string) =>
        fetch(`${base}/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent('http://localhost:5555/cb')}` +
          `&scope=openid&code_challenge=${'A'.repeat(43)}&code_challenge_method=S256`);
      expect((await authorize('live')).status).toBe(400);
      const created = await runNode('scripts/admin.ts', ['client', 'create', '--name', 'Live', '--client-id', 'live', '--redirect-uri', 'http://localhost:5555/cb', '--persist-to', 'state'], { cwd: project });
      expect(created.code).toBe(0);
      expect((await authorize('live')).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    // wrangler's own exit code comes through: 0 if it shut down cleanly, 143 (128 + SIGTERM) if the signal ended it.
    expect([0, 143]).toContain(await exited);
    expect(await fetch(`${base}/.well-known/openid-configuration`).catch(() => 'closed')).toBe('closed');
  }, SLOW);
});
