// The MCP server's bindings and the configuration read from them once per isolate.

export interface Bindings {
  ISSUER: string;
  MCP_SERVER_URL: string;
}

export interface McpConfig {
  /** The authorization server's issuer identifier, exactly as its access tokens' `iss` states it. */
  issuer: string;
  /** This server's canonical URI (MCP authorization, RFC 8707 §2): the `aud` its access tokens must carry. */
  resource: string;
  /** Where the MCP endpoint is served: the resource URI's path. */
  mcpPath: string;
  /** RFC 9728 §3.1: the well-known URI with the resource's path appended, the one WWW-Authenticate names. */
  resourceMetadataUrl: string;
}

export class ConfigError extends Error {}

function url(env: Bindings, name: keyof Bindings): URL {
  const value = env[name];
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(`${name} is not set`);
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    throw new ConfigError(`${name} is not an absolute URL`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) throw new ConfigError(`${name} must use https (http only on localhost)`);
  // RFC 8707 §2: a resource indicator has no fragment; a query would not survive a well-known URI either.
  if (parsed.hash || parsed.search) throw new ConfigError(`${name} must have no query or fragment`);
  return parsed;
}

export function readConfig(env: Bindings): McpConfig {
  const issuer = url(env, 'ISSUER').href.replace(/\/$/, '');
  const server = url(env, 'MCP_SERVER_URL');
  if (server.pathname === '/' || server.pathname.startsWith('/.well-known/')) throw new ConfigError('MCP_SERVER_URL needs a path of its own, such as /mcp');
  const mcpPath = server.pathname.replace(/\/$/, '');
  return {
    issuer,
    resource: `${server.origin}${mcpPath}`,
    mcpPath,
    resourceMetadataUrl: `${server.origin}/.well-known/oauth-protected-resource${mcpPath}`,
  };
}
