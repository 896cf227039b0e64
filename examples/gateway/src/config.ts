// The gateway's bindings and the typed configuration read from them once per isolate.
import { base64url } from 'jose';

export interface Bindings {
  ISSUER: string;
  CLIENT_ID: string;
  GATEWAY_ORIGIN: string;
  CLIENT_SECRET: string;
  SESSION_SECRET: string;
}

export interface GatewayConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where browsers reach the gateway; also the API identifier: the `aud` its access tokens must carry. */
  origin: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** A256GCM key for the session cookie. */
  cookieKey: Uint8Array;
  /** https: Secure, __Host- cookies. http is for localhost development only. */
  secureCookies: boolean;
}

export class ConfigError extends Error {}

function required(env: Bindings, name: keyof Bindings): string {
  const value = env[name];
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(`${name} is not set`);
  return value.trim();
}

function origin(value: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} is not an absolute URL`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new ConfigError(`${name} must use https (http only on localhost)`);
  return url;
}

export function readConfig(env: Bindings): GatewayConfig {
  const issuer = origin(required(env, 'ISSUER'), 'ISSUER').href.replace(/\/$/, '');
  const gateway = origin(required(env, 'GATEWAY_ORIGIN'), 'GATEWAY_ORIGIN');
  if (gateway.pathname !== '/' || gateway.search || gateway.hash) throw new ConfigError('GATEWAY_ORIGIN must be an origin, without a path');
  let cookieKey: Uint8Array;
  try {
    cookieKey = base64url.decode(required(env, 'SESSION_SECRET'));
  } catch {
    throw new ConfigError('SESSION_SECRET is not base64url');
  }
  if (cookieKey.length !== 32) throw new ConfigError('SESSION_SECRET must be base64url of exactly 32 bytes (an A256GCM key)');
  return {
    issuer,
    clientId: required(env, 'CLIENT_ID'),
    clientSecret: required(env, 'CLIENT_SECRET'),
    origin: gateway.origin,
    redirectUri: `${gateway.origin}/callback`,
    postLogoutRedirectUri: `${gateway.origin}/`,
    cookieKey,
    secureCookies: gateway.protocol === 'https:',
  };
}
