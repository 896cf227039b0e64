// The MCP server example and edge-oidc, both under wrangler dev: the example as an OAuth protected resource.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSignIn, startDevServer, type DevServer } from './helpers/dev-server.ts';
import { startMcpServer, type McpServer } from './helpers/mcp-server.ts';

const user = { username: 'mcp-carol', password: 'mcp-carol-password-51', email: 'carol@example.com', name: 'Carol MCP' };
// A desktop MCP client listens on a loopback port of its choosing; nothing needs to listen here, the test
// reads the code from the redirect itself.
const REDIRECT_URI = 'http://127.0.0.1:33418/callback';
const OTHER_RESOURCE = 'https://other-mcp.example.com/mcp';

let provider: DevServer;
let mcp: McpServer;
let userId: string;

beforeAll(async () => {
  provider = await startDevServer({ vars: { CLIENT_REGISTRATION: 'open' } });
  await provider.addUser(user);
  const [row] = (await provider.execute(`SELECT id FROM users WHERE username = '${user.username}'`)) as { id: string }[];
  userId = row!.id;
  mcp = await startMcpServer(provider.issuer);
  // A client of another MCP server: its tokens carry that server's URI as their audience.
  await provider.addClient({ clientId: 'other-mcp-client', secret: null, redirectUris: [REDIRECT_URI], audience: OTHER_RESOURCE });
});

afterAll(async () => {
  await mcp?.stop();
  await provider?.stop();
});

function callMcp(authorization?: string): Promise<Response> {
  return fetch(mcp.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...(authorization ? { Authorization: authorization } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
}

describe('the MCP server example as a protected resource', () => {
  const metadataUrl = () => `${mcp.origin}/.well-known/oauth-protected-resource/mcp`;

  it('answers 401 with a resource_metadata challenge, and serves RFC 9728 metadata at both well-known URIs', async () => {
    const res = await callMcp();
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe(`Bearer resource_metadata="${metadataUrl()}"`);
    for (const url of [metadataUrl(), `${mcp.origin}/.well-known/oauth-protected-resource`]) {
      const metadata = await fetch(url);
      expect(metadata.status).toBe(200);
      expect(await metadata.json()).toEqual({
        resource: mcp.url, authorization_servers: [provider.issuer], bearer_methods_supported: ['header'], resource_name: 'edge-oidc MCP example',
      });
    }
  });

  it('refuses a malformed Authorization header with invalid_request, and a bad token with invalid_token', async () => {
    const malformed = await callMcp('Basic abc');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('WWW-Authenticate')).toContain('error="invalid_request"');
    const garbage = await callMcp('Bearer not.a.jwt');
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get('WWW-Authenticate')).toBe(
      `Bearer resource_metadata="${metadataUrl()}", error="invalid_token", error_description="the access token is not valid for this MCP server"`,
    );
  });

  it('refuses a valid access token issued for another resource', async () => {
    const verifier = 'w'.repeat(43);
    const challenge = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))).toString('base64url');
    const url = new URL(`${provider.issuer}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code', client_id: 'other-mcp-client', redirect_uri: REDIRECT_URI, scope: 'openid', state: 's',
      code_challenge: challenge, code_challenge_method: 'S256',
    }).toString();
    const callback = await browserSignIn(url.href, user.username, user.password, provider.issuer);
    const res = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code', client_id: 'other-mcp-client', code: callback.searchParams.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: verifier,
      }),
    });
    expect(res.status).toBe(200);
    const { access_token: token } = (await res.json()) as { access_token: string };
    const { aud, sub } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { aud: string | string[]; sub: string };
    expect(sub).toBe(userId);
    expect([aud].flat()).toContain(OTHER_RESOURCE);
    expect([aud].flat()).not.toContain(mcp.url);

    const refused = await callMcp(`Bearer ${token}`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
    expect(await refused.json()).toEqual({ error: 'invalid_token', error_description: 'the access token is not valid for this MCP server' });
  });
});
