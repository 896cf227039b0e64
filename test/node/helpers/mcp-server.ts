// Starts the MCP server example (examples/mcp-server) under `wrangler dev` against a running provider; signs in as MCP clients' users do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../../scripts/lib/net.ts';
import { Browser, hiddenField } from './dev-server.ts';
import { runWranglerDev } from './gateway-server.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface McpServer {
  origin: string;
  /** The MCP endpoint, which is also the server's resource URI (the `aud` it accepts). */
  url: string;
  stop(): Promise<void>;
}

/** Where the example will listen: its resource URI, known before the provider starts (for ALLOWED_RESOURCES). */
export async function reserveMcpServer(): Promise<{ port: number; url: string }> {
  const port = await freePort();
  return { port, url: `http://127.0.0.1:${port}/mcp` };
}

/** The example with its resource URI at http://127.0.0.1:PORT/mcp, trusting `issuer`'s tokens. */
export async function startMcpServer(issuer: string, reserved?: { port: number }): Promise<McpServer> {
  const port = reserved?.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}/mcp`;
  const dir = mkdtempSync(join(tmpdir(), 'edge-oidc-mcp-'));
  const { stop } = await runWranglerDev([
    '-c', join(ROOT, 'examples/mcp-server/wrangler.toml'), '--port', String(port), '--ip', '127.0.0.1', '--persist-to', dir,
    '--var', `ISSUER:${issuer}`, `MCP_SERVER_URL:${url}`,
  ], `${origin}/.well-known/oauth-protected-resource/mcp`);
  return {
    origin, url,
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What the user does in the browser an MCP client opens: the login form, then the consent page (which a
 * self-registered or metadata-document client always gets), allowing. Returns the redirect to the client,
 * with its code or the provider's error.
 */
export async function signInAndAllow(authorizationUrl: string, user: { username: string; password: string }, issuer: string): Promise<URL> {
  const browser = new Browser();
  const page = await browser.fetch(authorizationUrl);
  // An error the provider can send back to the client (RFC 6749 §4.1.2.1) is the client's to see.
  if (page.status === 302 || page.status === 303) return new URL(page.headers.get('Location')!);
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}: ${await page.text()}`);
  let res = await browser.fetch(`${issuer}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: issuer, 'Sec-Fetch-Site': 'same-origin' },
    body: new URLSearchParams({ tx: hiddenField(await page.text()), username: user.username, password: user.password }),
  });
  if (res.status === 200) {
    const consent = await res.text();
    if (!consent.includes('action="/consent"')) throw new Error(`neither a redirect nor a consent page after login: ${consent.slice(0, 300)}`);
    res = await browser.post(`${issuer}/consent`, { tx: hiddenField(consent), decision: 'allow' }, issuer);
  }
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  return new URL(res.headers.get('Location')!);
}
