// Flow helpers on top of the fixtures: session cookies, redirect and error-page assertions, key material.
import { env } from 'cloudflare:workers';
import { createLocalJWKSet, decodeJwt, type JSONWebKeySet } from 'jose';
import { expect } from 'vitest';
import { digestToken } from '../../src/crypto/digest.ts';
import { importKeySet, type KeySet } from '../../src/crypto/keys.ts';
import { findSessionState } from '../../src/store/sessions.ts';
import { authorizeUrl, call, exchange, form, formAs, hiddenTx, ISSUER, sessionCookie, signIn, submitLogin, type TestClient, type TestUser } from './fixtures.ts';

// Defined beside signIn, which uses them (fixtures.ts cannot import this file: this file imports it).
export { loginTx, postLogin } from './fixtures.ts';

/** The D1 key of the session a cookie names: the SHA-256 of the sid inside the signed cookie. */
export async function sessionIdHash(cookie: string): Promise<string> {
  const sid = decodeJwt(cookie.slice(cookie.indexOf('=') + 1)).sid;
  if (typeof sid !== 'string') throw new Error('cookie has no sid');
  return digestToken(sid);
}

/** Sessions are recorded off the response path (waitUntil); waits until D1 has the row. */
export async function waitForSessionRow(cookie: string): Promise<string> {
  const idHash = await sessionIdHash(cookie);
  for (let i = 0; i < 100; i++) {
    if ((await findSessionState(env.DB, idHash, 0)) !== 'unknown') return idHash;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('session row never written');
}

export function authorizeWithCookie(client: TestClient, cookie: string, params: Record<string, string> = {}): Promise<Response> {
  return call(authorizeUrl(client, params), { headers: { Cookie: cookie } });
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  id_token?: string;
  scope: string;
  refresh_token?: string;
}

/** Signs in and redeems the code; fails the test unless /token answers 200. */
export async function tokensFor(client: TestClient, user: TestUser, params: Record<string, string> = {}) {
  const { code, cookie } = await signIn(client, user, params);
  return { tokens: await redeemCode(client, code), cookie, code };
}

/** Redeems a code at /token; fails the test unless it answers 200. */
export async function redeemCode<T = TokenResponse>(client: TestClient, code: string): Promise<T> {
  const res = await exchange(client, code);
  expect(res.status).toBe(200);
  return res.json<T>();
}

/** Signs in where the consent page follows the login form, then allows: the login answer, its page and cookie, and the answer to allow. */
export async function loginAndAllow(client: TestClient, user: TestUser, params: Record<string, string> = {}) {
  const login = await submitLogin(client, user, params);
  const html = await login.text();
  const cookie = sessionCookie(login);
  const allowed = await form('/consent', { tx: hiddenTx(html), decision: 'allow' }, { Cookie: cookie });
  return { login, html, cookie, allowed };
}

export function refresh(client: TestClient, refreshToken: string, extra: Record<string, string> = {}): Promise<Response> {
  return formAs(client, '/token', { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });
}

export function userinfo(accessToken: string): Promise<Response> {
  return call('/userinfo', { headers: { Authorization: `Bearer ${accessToken}` } });
}

/** An error page rendered before the redirect URI is trusted: HTML 400, never a redirect. */
export async function expectErrorPage(res: Response, status = 400): Promise<string> {
  expect(res.status).toBe(status);
  expect(res.headers.get('Location')).toBeNull();
  expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
  return res.text();
}

/** A redirect back to the client's registered URI; returns its query parameters. */
export function expectRedirect(res: Response, client: TestClient, status = 302): URLSearchParams {
  expect(res.status).toBe(status);
  const location = res.headers.get('Location');
  expect(location).not.toBeNull();
  const url = new URL(location!);
  expect(url.origin + url.pathname).toBe(new URL(client.redirectUri).origin + new URL(client.redirectUri).pathname);
  return url.searchParams;
}

/** An error redirect (RFC 6749 §4.1.2.1, RFC 9207): error, description, state and iss. */
export function expectRedirectError(res: Response, client: TestClient, error: string, state: string | null = 'st-123', status = 302): URLSearchParams {
  const params = expectRedirect(res, client, status);
  expect(params.get('error')).toBe(error);
  expect(params.get('error_description')).toBeTruthy();
  expect(params.get('state')).toBe(state);
  expect(params.get('iss')).toBe(ISSUER);
  expect(params.get('code')).toBeNull();
  return params;
}

export async function expectOAuthError(res: Response, status: number, error: string): Promise<Record<string, string>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
  expect(res.headers.get('Cache-Control')).toBe('no-store');
  const body = await res.json<Record<string, string>>();
  expect(body.error).toBe(error);
  return body;
}

export function isConsentPage(html: string): boolean {
  return html.includes('action="/consent"') && html.includes('name="decision"');
}

export function isLoginPage(html: string): boolean {
  return html.includes('action="/login"') && html.includes('name="tx"');
}

export function keySet(): Promise<KeySet> {
  return importKeySet(env.SIGNING_KEYS);
}

export async function publicKeySet() {
  return createLocalJWKSet(await (await call('/.well-known/jwks.json')).json<JSONWebKeySet>());
}

/** Changes one character of a token, away from its last character (whose low bits may be unused padding). */
export function tamper(token: string, at = Math.floor(token.length / 2)): string {
  const ch = token[at] === 'A' ? 'B' : 'A';
  return token.slice(0, at) + ch + token.slice(at + 1);
}
