// Starts the gateway example (examples/gateway) under `wrangler dev` against a running provider, with throwaway state.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../../scripts/lib/net.ts';
import type { DevServer } from './dev-server.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
const ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' };

export const GATEWAY_CLIENT_SECRET = 'gateway-secret-0123456789abcdefghijklmnopqrstuvwxyz';

export interface GatewayServer {
  origin: string;
  clientId: string;
  stop(): Promise<void>;
}

/** Runs `wrangler dev` until `readyUrl` answers; throws with its output if it exits or takes too long. */
export async function runWranglerDev(args: string[], readyUrl: string): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [WRANGLER, 'dev', ...args, '--log-level', 'warn', '--show-interactive-dev-session=false', '--inspector-port', String(await freePort())], {
    cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => { child.once('exit', r); setTimeout(() => { child.kill('SIGKILL'); r(null); }, 5000); });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output}`);
    try {
      const res = await fetch(readyUrl, { redirect: 'manual' });
      await res.body?.cancel();
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not start within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, stop };
}

/**
 * Registers the gateway at `provider` the way npm run dev does (client_secret_basic, redirect URI
 * /callback, post-logout URI /, audience = the gateway's origin) and starts it.
 */
export async function startGateway(provider: DevServer, clientId = 'gateway'): Promise<GatewayServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  await provider.addClient({
    clientId, secret: GATEWAY_CLIENT_SECRET, redirectUris: [`${origin}/callback`], postLogoutRedirectUris: [`${origin}/`], audience: origin,
  });
  const dir = mkdtempSync(join(tmpdir(), 'edge-oidc-gateway-'));
  const envFile = join(dir, 'gateway.env');
  writeFileSync(envFile, `CLIENT_SECRET='${GATEWAY_CLIENT_SECRET}'\nSESSION_SECRET='${randomBytes(32).toString('base64url')}'\n`, { mode: 0o600 });
  const { stop } = await runWranglerDev([
    '-c', join(ROOT, 'examples/gateway/wrangler.toml'), '--port', String(port), '--ip', '127.0.0.1', '--persist-to', dir, '--env-file', envFile,
    '--var', `ISSUER:${provider.issuer}`, `CLIENT_ID:${clientId}`, `GATEWAY_ORIGIN:${origin}`,
  ], `${origin}/style.css`);
  return {
    origin, clientId,
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A cookie jar for one loopback host: every cookie any of our servers sets, by name, as a browser keeps them. */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Follows redirects like a browser (GET after 302/303), returning the final response and every URL seen. */
  async follow(url: string, init: RequestInit = {}): Promise<{ res: Response; urls: string[] }> {
    const urls = [url];
    let res = await this.fetch(url, init);
    while (res.status >= 301 && res.status <= 303) {
      await res.body?.cancel();
      const next = new URL(res.headers.get('Location')!, urls.at(-1)).href;
      urls.push(next);
      res = await this.fetch(next);
    }
    return { res, urls };
  }
}
