// Starts the MCP server example (examples/mcp-server) under `wrangler dev` against a running provider.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../../scripts/lib/net.ts';
import { runWranglerDev } from './gateway-server.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface McpServer {
  origin: string;
  /** The MCP endpoint, which is also the server's resource URI (the `aud` it accepts). */
  url: string;
  stop(): Promise<void>;
}

/** The example with its resource URI at http://127.0.0.1:PORT/mcp, trusting `issuer`'s tokens. */
export async function startMcpServer(issuer: string): Promise<McpServer> {
  const port = await freePort();
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
