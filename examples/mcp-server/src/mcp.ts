// The MCP server itself: one tool, served statelessly over Streamable HTTP with web-standard Request/Response.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';

function createServer(): McpServer {
  const server = new McpServer({ name: 'edge-oidc-mcp-example', version: '1.0.0' });
  server.registerTool(
    'whoami',
    { title: 'Who am I', description: "Answers with the signed-in user's subject identifier (the access token's sub).", annotations: { readOnlyHint: true } },
    ({ authInfo }) => {
      const sub = authInfo?.extra?.sub;
      if (typeof sub !== 'string') return { isError: true, content: [{ type: 'text', text: 'no verified access token' }] };
      return { content: [{ type: 'text', text: sub }], structuredContent: { sub, client_id: authInfo!.clientId } };
    },
  );
  return server;
}

/**
 * Stateless Streamable HTTP (no Mcp-Session-Id): a fresh server and transport per request, so any isolate can
 * answer any request and nothing outlives it. JSON responses instead of SSE, as one tool call needs no stream.
 */
export async function handleMcp(request: Request, authInfo: AuthInfo): Promise<Response> {
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await createServer().connect(transport);
  return transport.handleRequest(request, { authInfo });
}
