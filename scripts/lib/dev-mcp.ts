// npm run dev --mcp: the MCP server example (examples/mcp-server) beside the provider, for MCP clients that register themselves.
import { join, resolve } from 'node:path';
import { forwardedIp, type Gateway } from './dev-gateway.ts';

/** Found beside this script, like the gateway's config. */
export const MCP_CONFIG = resolve(import.meta.dirname, '../../examples/mcp-server/wrangler.toml');

export interface McpServerDev {
  /** Where MCP clients connect: the server's resource URI, the `aud` its access tokens carry. */
  url: string;
  origin: string;
  port: number;
}

/** Two ports above the provider (the gateway has the one above), on the gateway's host. */
export function resolveMcpServer(gateway: Gateway): McpServerDev {
  const port = gateway.port + 1;
  const origin = `http://${new URL(gateway.origin).hostname}:${port}`;
  return { url: `${origin}/mcp`, origin, port };
}

/**
 * The provider's vars for MCP clients, each unless the developer forwarded their own: open dynamic client
 * registration (RFC 7591), as MCP clients register themselves on first contact, and the MCP server's URI as a
 * resource every client may ask tokens for (RFC 8707), as a self-registered client has none of its own.
 */
export function mcpProviderVars(server: McpServerDev, forwardedVars: Record<string, string>): string[] {
  const vars: string[] = [];
  if (forwardedVars.CLIENT_REGISTRATION === undefined) vars.push('CLIENT_REGISTRATION:open');
  if (forwardedVars.ALLOWED_RESOURCES === undefined) vars.push(`ALLOWED_RESOURCES:${server.url}`);
  return vars;
}

/** `wrangler dev` arguments for the MCP server example; `--ip` follows the provider's, as for the gateway. */
export function mcpDevArgs(o: { server: McpServerDev; issuer: string; persistDir: string; forwarded: string[]; inspectorPort: number }): string[] {
  return [
    '--config', MCP_CONFIG, '--port', String(o.server.port), ...forwardedIp(o.forwarded), '--persist-to', join(o.persistDir, 'mcp-server'),
    '--var', `ISSUER:${o.issuer}`, `MCP_SERVER_URL:${o.server.url}`,
    '--show-interactive-dev-session=false', '--log-level', 'warn', '--inspector-port', String(o.inspectorPort),
  ];
}
