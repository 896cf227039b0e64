// Client metadata documents served to the Worker through a stubbed global fetch (workerd tests have no internet).
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import { clearMetadataClientCache } from '../../src/clients/resolve.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { form, pkcePair, type TestClient } from './fixtures.ts';

export type DocumentServer = (url: string, init: RequestInit) => Response | Promise<Response>;

/** A fresh document URL per test, so neither the isolate's memory nor KV answers for another test's document. */
export function documentUrl(host = 'app.example.com'): string {
  return `https://${host}/oauth/client-${randomToken(6)}.json`;
}

export function metadataDocument(url: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { client_id: url, client_name: 'Desktop MCP', redirect_uris: ['http://127.0.0.1/callback'], token_endpoint_auth_method: 'none', ...fields };
}

export function jsonResponse(body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json', ...headers } });
}

/** Every outbound fetch goes to `serve`; the spy counts them. Restored by vi.restoreAllMocks(). */
export function serveDocuments(serve: DocumentServer) {
  return vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => serve(input instanceof Request ? input.url : String(input), init ?? {}));
}

/** A metadata-document client served at its URL with these document fields (a redirect URI gets port 49152). */
export function serveClient(fields: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const url = documentUrl();
  const doc = metadataDocument(url, fields);
  const fetches = serveDocuments((asked) => (asked === url ? jsonResponse(doc, headers) : new Response('not found', { status: 404 })));
  const registered = (doc.redirect_uris as string[])[0]!;
  const redirectUri = registered.replace('http://127.0.0.1/', 'http://127.0.0.1:49152/');
  const client: TestClient = { clientId: url, secret: null, redirectUri };
  return { client, doc, fetches };
}

/** Forgets every checked document, in this isolate and in KV, so the next request fetches again. */
export async function forgetDocuments(...urls: string[]): Promise<void> {
  clearMetadataClientCache();
  await Promise.all(urls.map((url) => env.CODES.delete(`cimd:${url}`)));
}

/** PKCE parameters for /authorize, and the verifier for /token (public clients must use PKCE, RFC 9700 §2.1.1). */
export async function pkceParams() {
  const { verifier, challenge } = await pkcePair();
  return { verifier, params: { code_challenge: challenge, code_challenge_method: 'S256' } };
}

/** /token for a public client: client_id in the body, no secret. */
export function publicToken(client: TestClient, body: Record<string, string>): Promise<Response> {
  return form('/token', { client_id: client.clientId, ...body });
}
