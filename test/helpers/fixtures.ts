// One-line fixtures: clients and users in the real test D1, and a request helper into the Worker.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { base64url } from 'jose';
import { expect } from 'vitest';
import { DEVICE_CODE_GRANT } from '../../src/constants.ts';
import { hashClientSecret } from '../../src/crypto/digest.ts';
import { hashPassword, importPeppers } from '../../src/crypto/password.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { insertClient, type NewClient } from '../../src/store/clients.ts';
import { insertUser } from '../../src/store/users.ts';
import worker from '../../src/index.ts';

export const ISSUER = 'https://id.example.test';

export interface TestClient {
  clientId: string;
  secret: string | null;
  redirectUri: string;
}

export async function createClient(overrides: Partial<NewClient> = {}): Promise<TestClient> {
  const clientId = overrides.clientId ?? `client-${randomToken(6)}`;
  const isPublic = overrides.tokenEndpointAuthMethod === 'none';
  const secret = isPublic ? null : randomToken(32);
  const redirectUri = overrides.redirectUris?.[0] ?? `https://app.example.com/callback/${clientId}`;
  await insertClient(env.DB, {
    clientId,
    secretHash: secret ? await hashClientSecret(secret) : null,
    name: 'Test App',
    tokenEndpointAuthMethod: 'client_secret_basic',
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    redirectUris: [redirectUri],
    postLogoutRedirectUris: [],
    idTokenSignedResponseAlg: 'RS256',
    audience: null,
    // The wave-1 tests describe first-party apps (no consent page without prompt=consent); consent tests opt out.
    firstParty: true,
    ...overrides,
  });
  return { clientId, secret, redirectUri };
}

/** A client for the device grant (RFC 8628) and refresh tokens, with no redirect URI. */
export function createDeviceClient(overrides: Partial<NewClient> = {}): Promise<TestClient> {
  return createClient({ grantTypes: [DEVICE_CODE_GRANT, 'refresh_token'], redirectUris: [], ...overrides });
}

export function peppers(): ReturnType<typeof importPeppers> {
  return importPeppers(env.PASSWORD_PEPPER);
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
}

export async function createUser(overrides: { username?: string; email?: string | null; name?: string | null } = {}): Promise<TestUser> {
  const username = overrides.username ?? `user-${randomToken(6)}`;
  const password = `pw-${randomToken(12)}`;
  const user = await insertUser(env.DB, {
    username,
    email: overrides.email === undefined ? `${username}@example.com` : overrides.email,
    emailVerified: true,
    name: overrides.name === undefined ? 'Test User' : overrides.name,
    passwordHash: await hashPassword(password, await peppers()),
  });
  return { id: user.id, username, password };
}

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return (exports as unknown as { default: Fetcher }).default.fetch(new Request(new URL(path, ISSUER), { redirect: 'manual', ...init }));
}

/**
 * The Worker called directly with some bindings replaced (a failing or watched D1, another SESSION_SECRET); its
 * waitUntil work is awaited. A fresh env object each call, so the per-env binding guard is built for it.
 */
export async function callWithEnv(overrides: Partial<typeof env>, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(new URL(path, ISSUER), { redirect: 'manual', ...init }), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

function formInit(body: Record<string, string>, headers: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER, ...headers },
    body: new URLSearchParams(body).toString(),
  };
}

export function form(path: string, body: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, formInit(body, headers));
}

/** A same-origin form post to the Worker with some bindings replaced (see callWithEnv). */
export function formWithEnv(overrides: Partial<typeof env>, path: string, body: Record<string, string>): Promise<Response> {
  return callWithEnv(overrides, path, formInit(body, {}));
}

/** A form post authenticated as the client with client_secret_basic (RFC 6749 §2.3.1). */
export function formAs(client: TestClient, path: string, body: Record<string, string>): Promise<Response> {
  return form(path, body, { Authorization: basic(client.clientId, client.secret!) });
}

export function basic(clientId: string, secret: string): string {
  return `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`)}`;
}

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** base64url(SHA-256(text)): an S256 code challenge (RFC 7636 §4.2). */
export async function s256(text: string): Promise<string> {
  return base64url.encode(await sha256(text));
}

export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = randomToken(32);
  return { verifier, challenge: await s256(verifier) };
}

export function authorizeUrl(client: TestClient, params: Record<string, string> = {}): string {
  const search = new URLSearchParams({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: 'openid profile email',
    state: 'st-123',
    nonce: 'n-456',
    ...params,
  });
  return `/authorize?${search}`;
}

export function hiddenTx(html: string): string {
  const match = /name="tx" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no tx field in page: ${html.slice(0, 200)}`);
  return match[1]!;
}

export function sessionCookie(res: Response): string {
  const setCookie = res.headers.get('Set-Cookie') ?? '';
  const match = /((?:__Host-)?edge_oidc_session=[^;]+)/.exec(setCookie);
  if (!match) throw new Error('no session cookie set');
  return match[1]!;
}

export interface SignIn {
  code: string;
  location: URL;
  cookie: string;
}

/** /authorize for a client with no session: the login form's signed transaction. */
export async function loginTx(client: TestClient, params: Record<string, string> = {}): Promise<string> {
  const res = await call(authorizeUrl(client, params));
  expect(res.status).toBe(200);
  return hiddenTx(await res.text());
}

/** The login form posted with a transaction, a username and a password. */
export function postLogin(tx: string, username: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
  return form('/login', { tx, username, password }, headers);
}

/** /authorize then the login form with the user's password; the answer to the login post. */
export async function submitLogin(client: TestClient, user: TestUser, params: Record<string, string> = {}): Promise<Response> {
  return postLogin(await loginTx(client, params), user.username, user.password);
}

/** Runs /authorize then the login form, returning the code and the session cookie. */
export async function signIn(client: TestClient, user: TestUser, params: Record<string, string> = {}): Promise<SignIn> {
  const res = await submitLogin(client, user, params);
  if (res.status !== 303) throw new Error(`login answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  const location = new URL(res.headers.get('Location')!);
  return { code: location.searchParams.get('code')!, location, cookie: sessionCookie(res) };
}

export function exchange(client: TestClient, code: string, extra: Record<string, string> = {}): Promise<Response> {
  return formAs(client, '/token', { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, ...extra });
}
