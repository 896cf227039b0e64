// The MCP TypeScript SDK's client authorization against the MCP server example and edge-oidc, both under
// wrangler dev: resource and authorization-server discovery, DCR, PKCE, sign-in, token, a tool call, refresh.
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSignIn, startDevServer, type DevServer } from './helpers/dev-server.ts';
import { reserveMcpServer, signInAndAllow, startMcpServer, type McpServer } from './helpers/mcp-server.ts';

const user = { username: 'mcp-carol', password: 'mcp-carol-password-51', email: 'carol@example.com', name: 'Carol MCP' };
// A desktop MCP client listens on a loopback port of its choosing; nothing needs to listen here, the test
// reads the code from the redirect itself.
const REDIRECT_URI = 'http://127.0.0.1:33418/callback';
const OTHER_RESOURCE = 'https://other-mcp.example.com/mcp';

let provider: DevServer;
let mcp: McpServer;
let userId: string;

beforeAll(async () => {
  // As npm run dev --mcp sets it up: open registration, and the MCP server a resource any client may ask for.
  const reserved = await reserveMcpServer();
  provider = await startDevServer({ vars: { CLIENT_REGISTRATION: 'open', ALLOWED_RESOURCES: reserved.url } });
  await provider.addUser(user);
  const [row] = (await provider.execute(`SELECT id FROM users WHERE username = '${user.username}'`)) as { id: string }[];
  userId = row!.id;
  mcp = await startMcpServer(provider.issuer, reserved);
  // A client of another MCP server, registered for that server only (its default resource).
  await provider.addClient({ clientId: 'other-mcp-client', secret: null, redirectUris: [REDIRECT_URI], audience: OTHER_RESOURCE });
});

afterAll(async () => {
  await mcp?.stop();
  await provider?.stop();
});

/** An MCP client's OAuth state, kept in memory; the browser step is signInAndAllow's. */
class TestOAuthProvider implements OAuthClientProvider {
  registered: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;

  get redirectUrl() {
    return REDIRECT_URI;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'E2E MCP client', redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'], token_endpoint_auth_method: 'none',
    };
  }

  clientInformation() {
    return this.registered;
  }

  saveClientInformation(info: OAuthClientInformationMixed) {
    this.registered = info;
  }

  tokens() {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }

  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }

  codeVerifier() {
    return this.verifier;
  }
}

/** Every request the SDK makes, as "METHOD URL", and the bodies it sent to the token endpoint. */
function recordingFetch(log: string[], tokenRequests: URLSearchParams[]): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    log.push(`${init?.method ?? 'GET'} ${url}`);
    if (url === `${provider.issuer}/token` && init?.body) tokenRequests.push(new URLSearchParams(String(init.body)));
    return fetch(input, init);
  };
}

async function connect(oauth: TestOAuthProvider, log: string[] = [], tokenRequests: URLSearchParams[] = []): Promise<Client> {
  const client = new Client({ name: 'edge-oidc-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: oauth, fetch: recordingFetch(log, tokenRequests) }));
  return client;
}

describe('the MCP SDK client against the MCP server example and edge-oidc', () => {
  it('discovers, registers, signs in with PKCE, calls whoami, and refreshes', async () => {
    const oauth = new TestOAuthProvider();
    const log: string[] = [];
    const tokenRequests: URLSearchParams[] = [];

    // First contact: 401, then discovery and registration, and a redirect to the authorization endpoint.
    await expect(connect(oauth, log, tokenRequests)).rejects.toThrow(/Unauthorized/);
    expect(log).toContain(`GET ${mcp.origin}/.well-known/oauth-protected-resource/mcp`);
    expect(log).toContain(`GET ${provider.issuer}/.well-known/oauth-authorization-server`);
    expect(log).toContain(`POST ${provider.issuer}/register`);
    const clientId = oauth.registered!.client_id;
    expect(clientId).toMatch(/\S{16,}/);

    const authorize = oauth.authorizationUrl!;
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${provider.issuer}/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(clientId);
    expect(authorize.searchParams.get('resource')).toBe(mcp.url);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const callback = await signInAndAllow(authorize.href, user, provider.issuer);
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('iss')).toBe(provider.issuer);
    const transport = new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: oauth, fetch: recordingFetch(log, tokenRequests) });
    await transport.finishAuth(callback.searchParams.get('code')!);
    expect(tokenRequests.at(-1)!.get('grant_type')).toBe('authorization_code');
    expect(tokenRequests.at(-1)!.get('resource')).toBe(mcp.url);
    expect(tokenRequests.at(-1)!.get('code_verifier')).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    const first = oauth.saved!;
    expect(first.refresh_token).toBeTruthy();
    const claims = JSON.parse(Buffer.from(first.access_token.split('.')[1]!, 'base64url').toString()) as { aud: unknown; sub: string };
    expect(claims.aud).toBe(mcp.url);

    const client = await connect(oauth);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['whoami']);
    const answer = await client.callTool({ name: 'whoami' });
    expect(answer.content).toEqual([{ type: 'text', text: userId }]);
    await client.close();

    // The access token stops working (here: replaced by a forged one); the SDK meets the 401 and refreshes.
    oauth.saved = { ...first, access_token: `${first.access_token.slice(0, -4)}AAAA` };
    const again = await connect(oauth, log, tokenRequests);
    expect(tokenRequests.at(-1)!.get('grant_type')).toBe('refresh_token');
    expect(tokenRequests.at(-1)!.get('resource')).toBe(mcp.url);
    expect(oauth.saved.access_token).not.toBe(first.access_token);
    expect(oauth.saved.refresh_token).not.toBe(first.refresh_token);
    expect((await again.callTool({ name: 'whoami' })).content).toEqual([{ type: 'text', text: userId }]);
    await again.close();
  });
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

  /** A plain OAuth code flow (no scope) for `resource`, by a client registered for another MCP server. */
  async function accessTokenFor(resource: string): Promise<string> {
    const verifier = 'w'.repeat(43);
    const challenge = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))).toString('base64url');
    const url = new URL(`${provider.issuer}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code', client_id: 'other-mcp-client', redirect_uri: REDIRECT_URI, resource, state: 's', code_challenge: challenge, code_challenge_method: 'S256',
    }).toString();
    const callback = await browserSignIn(url.href, user.username, user.password, provider.issuer);
    const res = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code', client_id: 'other-mcp-client', code: callback.searchParams.get('code')!, redirect_uri: REDIRECT_URI,
        code_verifier: verifier, resource,
      }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  it('refuses a valid access token issued for another resource (RFC 8707)', async () => {
    const token = await accessTokenFor(OTHER_RESOURCE);
    const { aud, sub } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { aud: string | string[]; sub: string };
    expect(sub).toBe(userId);
    expect(aud).toBe(OTHER_RESOURCE);

    const refused = await callMcp(`Bearer ${token}`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
    expect(await refused.json()).toEqual({ error: 'invalid_token', error_description: 'the access token is not valid for this MCP server' });
  });

  it('is stateless: with a valid token, GET (a stream) and DELETE (a session) are 405; CORS preflights are answered', async () => {
    const token = await accessTokenFor(mcp.url);
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(mcp.url, { method, headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } });
      expect(res.status).toBe(405);
      expect(res.headers.get('Allow')).toBe('POST');
    }
    const preflight = await fetch(mcp.url, {
      method: 'OPTIONS', headers: { Origin: 'http://localhost:6274', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toContain('Authorization');
    expect((await callMcp()).headers.get('Access-Control-Expose-Headers')).toContain('WWW-Authenticate');
  });
});
