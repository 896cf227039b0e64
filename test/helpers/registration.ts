// Dynamic registration (RFC 7591) in tests: POST /register under a chosen CLIENT_REGISTRATION, initial access
// tokens, and a registered client as a TestClient for the flow helpers.
import { env } from 'cloudflare:workers';
import { nowSeconds } from '../../src/clock.ts';
import { digestToken } from '../../src/crypto/digest.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { insertRegistrationToken } from '../../src/store/registration-tokens.ts';
import { callWithEnv, type TestClient } from './fixtures.ts';

export type Policy = 'closed' | 'token' | 'open';

export interface ClientInformation {
  client_id: string;
  client_secret?: string;
  client_id_issued_at: number;
  client_secret_expires_at?: number;
  registration_access_token: string;
  registration_client_uri: string;
  redirect_uris: string[];
  token_endpoint_auth_method: string;
  grant_types: string[];
  scope: string;
  client_name: string;
  [member: string]: unknown;
}

/** What an MCP client on a desktop registers: public, loopback redirect, the code flow with refresh. */
export function publicMetadata(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_name: 'Desktop MCP client',
    redirect_uris: ['http://127.0.0.1:33418/callback'],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    ...overrides,
  };
}

/** A request to the Worker under the given policy; `body` is sent as given when a string, else as JSON. */
export function callRegistration(policy: Policy, path: string, init: Omit<RequestInit, 'body'> & { body?: unknown } = {}, extraEnv: Record<string, string> = {}): Promise<Response> {
  const { body, headers, ...rest } = init;
  return callWithEnv({ CLIENT_REGISTRATION: policy, ...extraEnv }, path, {
    ...rest,
    headers: { 'Content-Type': 'application/json', ...(headers as Record<string, string> | undefined) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

export function register(policy: Policy, body: unknown, headers: Record<string, string> = {}, extraEnv: Record<string, string> = {}): Promise<Response> {
  return callRegistration(policy, '/register', { method: 'POST', body, headers }, extraEnv);
}

/** An initial access token as `client registration-token create` mints it (stored as its digest). */
export async function mintInitialAccessToken(lifetimeSeconds = 3600): Promise<string> {
  const token = randomToken(32);
  const now = nowSeconds();
  await insertRegistrationToken(env.DB, await digestToken(token), now, now + lifetimeSeconds);
  return token;
}

/** Registers under open policy; fails unless 201. */
export async function registerPublicClient(overrides: Record<string, unknown> = {}): Promise<{ info: ClientInformation; client: TestClient }> {
  const res = await register('open', publicMetadata(overrides));
  if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${await res.text()}`);
  const info = await res.json<ClientInformation>();
  return { info, client: { clientId: info.client_id, secret: info.client_secret ?? null, redirectUri: info.redirect_uris[0]! } };
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}
