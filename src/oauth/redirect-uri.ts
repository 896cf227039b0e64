// Redirect URIs: what may be registered (RFC 8252, RFC 9700 §4.1) and exact-match lookup at request time.
import { MAX_REDIRECT_URI_CHARS } from '../constants.ts';
import type { Client } from '../store/clients.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
// RFC 8252 §7.1: private-use schemes for native apps are reverse domain names, e.g. com.example.app.
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/;

/** Returns why a URI cannot be registered, or null when it can. */
export function checkRedirectUriForRegistration(uri: string): string | null {
  if (uri.length > MAX_REDIRECT_URI_CHARS) return 'is too long';
  if (uri.includes('*')) return 'must not contain a wildcard';
  if (/[\s\x00-\x1f\x7f]/.test(uri)) return 'must not contain whitespace or control characters';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URI';
  }
  if (uri.includes('#')) return 'must not contain a fragment';
  if (url.username || url.password) return 'must not contain user credentials';
  if (url.protocol === 'https:') return url.hostname ? null : 'needs a host';
  if (url.protocol === 'http:') {
    return LOOPBACK_HOSTS.has(url.hostname) ? null : 'must use https (http only for localhost, 127.0.0.1 or [::1])';
  }
  if (PRIVATE_USE_SCHEME.test(url.protocol)) return null;
  return 'must use https, loopback http, or a private-use scheme like com.example.app:/callback';
}

/** RFC 9700 §2.1 / §4.1.3: exact string comparison, nothing normalised, no patterns. */
export function isRegisteredRedirectUri(registered: readonly string[], presented: string): boolean {
  return registered.includes(presented);
}

// A loopback http URI split at its port: the digits are the only part allowed to differ.
const LOOPBACK_URI = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?([/?][^#]*)?$/;

function withoutLoopbackPort(uri: string): string | null {
  const match = LOOPBACK_URI.exec(uri);
  if (!match || (match[2] !== undefined && Number(match[2]) > 65535)) return null;
  return `http://${match[1]}${match[3] ?? ''}`;
}

/**
 * The redirect URI check for a client: exact, except that a public client's loopback URIs match any port
 * (RFC 8252 §7.3: native apps and MCP clients on desktops listen on a port the system picks). Confidential
 * clients keep the exact match.
 */
export function isClientRedirectUri(client: Pick<Client, 'redirectUris' | 'tokenEndpointAuthMethod'>, presented: string): boolean {
  if (isRegisteredRedirectUri(client.redirectUris, presented)) return true;
  if (client.tokenEndpointAuthMethod !== 'none') return false;
  const portless = withoutLoopbackPort(presented);
  return portless !== null && client.redirectUris.some((uri) => withoutLoopbackPort(uri) === portless);
}
