// The MCP server example: a Worker serving MCP at MCP_SERVER_URL's path, for edge-oidc access tokens only.
import { protectedResourceMetadata, verifyRequest } from './auth.ts';
import { type Bindings, ConfigError, type McpConfig, readConfig } from './config.ts';
import { handleMcp } from './mcp.ts';

let config: McpConfig | undefined;

// Browser-based MCP clients (such as the MCP Inspector) call from another origin. Tokens travel in the
// Authorization header, never in cookies, so any origin may read the answers.
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept, Mcp-Protocol-Version, Mcp-Session-Id, Last-Event-ID',
  'Access-Control-Expose-Headers': 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version',
  'Access-Control-Max-Age': '86400',
};

function withCors(res: Response): Response {
  const out = new Response(res.body, res);
  for (const [name, value] of Object.entries(CORS)) out.headers.set(name, value);
  return out;
}

async function route(request: Request, cfg: McpConfig): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (request.method === 'OPTIONS') return new Response(null, { status: 204 });
  // RFC 9728 §3.1: at the path-suffixed well-known URI, and at the bare one for clients that try that first.
  if (pathname === new URL(cfg.resourceMetadataUrl).pathname || pathname === '/.well-known/oauth-protected-resource') {
    return request.method === 'GET' ? protectedResourceMetadata(cfg) : new Response(null, { status: 405, headers: { Allow: 'GET' } });
  }
  if (pathname !== cfg.mcpPath) return Response.json({ error: 'not_found' }, { status: 404 });
  const verified = await verifyRequest(request, cfg);
  if ('response' in verified) return verified.response;
  // Stateless: no session to resume with GET (an SSE stream) or to end with DELETE (Streamable HTTP §2.2, §2.5).
  if (request.method !== 'POST') return new Response(null, { status: 405, headers: { Allow: 'POST' } });
  return handleMcp(request, verified.authInfo);
}

export default {
  async fetch(request: Request, env: Bindings): Promise<Response> {
    try {
      config ??= readConfig(env);
      return withCors(await route(request, config));
    } catch (err) {
      const configProblem = err instanceof ConfigError;
      console.error(JSON.stringify({ msg: configProblem ? 'MCP server misconfigured' : 'unhandled error', error: String(err) }));
      return withCors(Response.json({ error: 'server_error', error_description: configProblem ? err.message : 'is the authorization server reachable?' }, { status: configProblem ? 500 : 503 }));
    }
  },
} satisfies ExportedHandler<Bindings>;
