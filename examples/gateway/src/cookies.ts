// Encrypted cookies (JWE, dir + A256GCM): the session and the in-flight sign-in never leave the browser readable.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { EncryptJWT, jwtDecrypt, type JWTPayload } from 'jose';
import type { GatewayConfig } from './config.ts';

export interface CookieSpec {
  name: string;
  /** The JWE `typ`, so a cookie of one kind is never accepted as another. */
  typ: string;
  path: string;
}

export const SESSION_COOKIE: CookieSpec = { name: 'gateway_session', typ: 'gateway-session+jwt', path: '/' };
export const SIGN_IN_COOKIE: CookieSpec = { name: 'gateway_sign_in', typ: 'gateway-sign-in+jwt', path: '/' };
export const LOGOUT_COOKIE: CookieSpec = { name: 'gateway_logout', typ: 'gateway-logout+jwt', path: '/' };

function options(cfg: GatewayConfig, spec: CookieSpec) {
  // __Host- (Secure, Path=/, no Domain) on https; the plain name on http://localhost. Lax: the provider
  // sends the browser back to /callback with a top-level GET, which carries Lax cookies.
  return { path: spec.path, httpOnly: true, sameSite: 'Lax' as const, secure: cfg.secureCookies, ...(cfg.secureCookies ? { prefix: 'host' as const } : {}) };
}

export async function writeCookie(c: Context, cfg: GatewayConfig, spec: CookieSpec, payload: JWTPayload, ttlSeconds: number): Promise<void> {
  const value = await new EncryptJWT(payload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', typ: spec.typ })
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .encrypt(cfg.cookieKey);
  setCookie(c, spec.name, value, { ...options(cfg, spec), maxAge: ttlSeconds });
}

/** The cookie's payload, or null when it is absent, expired, altered or of another kind. */
export async function readCookie(c: Context, cfg: GatewayConfig, spec: CookieSpec): Promise<JWTPayload | null> {
  const value = cfg.secureCookies ? getCookie(c, spec.name, 'host') : getCookie(c, spec.name);
  if (!value || value.length > 4096) return null;
  try {
    const { payload } = await jwtDecrypt(value, cfg.cookieKey, { typ: spec.typ, keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
    return payload;
  } catch {
    return null;
  }
}

export function clearCookie(c: Context, cfg: GatewayConfig, spec: CookieSpec): void {
  deleteCookie(c, spec.name, options(cfg, spec));
}
