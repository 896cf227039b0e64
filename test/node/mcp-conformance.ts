// The MCP conformance suite's authorization-server scenarios against edge-oidc under wrangler dev, offline:
// it starts the provider, runs `conformance authorization`, and performs the browser sign-in the suite waits for.
// Run by test/node/mcp-conformance.test.ts; by hand: npm exec -- node test/node/mcp-conformance.ts (prints the suite's output).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../scripts/lib/net.ts';
import { startDevServer } from './helpers/dev-server.ts';
import { signInAndAllow } from './helpers/mcp-server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
// The version pinned in package.json: the one with the `authorization` command.
const CONFORMANCE = join(ROOT, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const SUITE_TIMEOUT_MS = 120_000;
const CLIENT_ID = 'mcp-conformance';
// The MCP server the suite's client asks a token for, as MCP clients do.
const RESOURCE = 'https://mcp.example.com/mcp';
const user = { username: 'conformance', password: 'conformance-password-8341', email: 'conformance@example.com', name: 'Conformance' };

export interface Check {
  id: string;
  name: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  errorMessage?: string;
}

export interface ConformanceRun {
  exitCode: number | null;
  /** Each scenario's checks, from the suite's checks.json files, by scenario name. */
  scenarios: Record<string, Check[]>;
  output: string;
}

/** Waits for the suite to print its authorization URL, signs in as the user would, and delivers the redirect. */
function signInWhenAsked(issuer: string, output: () => string, done: () => boolean): Promise<void> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const poll = async () => {
      const url = new RegExp(`^(${issuer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/authorize\\?\\S+)$`, 'm').exec(output())?.[1];
      if (url === undefined) {
        if (done()) return resolvePromise();
        if (Date.now() - started > SUITE_TIMEOUT_MS) return reject(new Error(`the suite never printed an authorization URL:\n${output()}`));
        setTimeout(() => void poll(), 100);
        return;
      }
      try {
        const callback = await signInAndAllow(url, user, issuer);
        // The suite's own callback server on 127.0.0.1 receives the authorization response.
        const res = await fetch(callback);
        await res.body?.cancel();
        resolvePromise();
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    void poll();
  });
}

/** One run of `conformance authorization` against a running provider, signing in when it asks. */
async function runSuite(issuer: string, port: number, resource: string | undefined): Promise<ConformanceRun> {
  const results = mkdtempSync(join(tmpdir(), 'edge-oidc-conformance-'));
  const child = spawn(process.execPath, [
    CONFORMANCE, 'authorization', '--url', issuer, '--client-id', CLIENT_ID, '--port', String(port), '--output-dir', results,
    ...(resource ? ['--resource', resource] : []),
  ], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), SUITE_TIMEOUT_MS);
  try {
    await signInWhenAsked(issuer, () => output, () => child.exitCode !== null);
    const exitCode = await exited;
    const scenarios: Record<string, Check[]> = {};
    // One folder per scenario: authorization-server-<scenario>-<timestamp>/checks.json.
    for (const dir of readdirSync(results)) {
      const scenario = /^authorization-server-(.+)-\d{4}-\d\d-\d\dT/.exec(dir)?.[1];
      if (scenario) scenarios[scenario] = JSON.parse(readFileSync(join(results, dir, 'checks.json'), 'utf8')) as Check[];
    }
    return { exitCode, scenarios, output };
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(results, { recursive: true, force: true });
  }
}

/**
 * Starts edge-oidc with an MCP server's URI allowed as a resource, registers a public client for the suite's
 * callback, and runs every authorization-server scenario twice: as an MCP client does, with that `resource`
 * (RFC 8707), and without one.
 */
export async function runConformance(): Promise<{ withResource: ConformanceRun; withoutResource: ConformanceRun }> {
  const server = await startDevServer({ vars: { ALLOWED_RESOURCES: RESOURCE } });
  try {
    await server.addUser(user);
    const port = await freePort();
    await server.addClient({ clientId: CLIENT_ID, secret: null, redirectUris: [`http://127.0.0.1:${port}/callback`], firstParty: false });
    return { withResource: await runSuite(server.issuer, port, RESOURCE), withoutResource: await runSuite(server.issuer, port, undefined) };
  } finally {
    await server.stop();
  }
}

if (import.meta.main) {
  const { withResource, withoutResource } = await runConformance();
  process.stdout.write(`${withResource.output}\n${withoutResource.output}`);
  process.exitCode = withResource.exitCode === 0 && withoutResource.exitCode === 0 ? 0 : 1;
}
