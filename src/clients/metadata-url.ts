// Which client_ids are metadata document URLs, and which of those may be fetched (the SSRF guard's first half).

/** Same cap as every client_id parameter (src/oauth/trusted-target.ts, src/oauth/client-auth.ts). */
const MAX_URL_CHARS = 256;

/** A client_id in URL form names a metadata document; registered ids never contain ':' (scripts/lib/client-rules.ts). */
export function isMetadataDocumentUrl(clientId: string): boolean {
  return clientId.startsWith('https://') || clientId.startsWith('http://');
}

function ipv4Octets(host: string): number[] | null {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  return parts.map(Number);
}

/** 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24, 192.168/16, 198.18/15, multicast and above. */
function isNonPublicIpv4([a = 0, b = 0, c = 0]: number[]): boolean {
  return a === 0 || a === 10 || a === 127 || a >= 224 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 192 && b === 0 && c === 0) || (a === 198 && (b === 18 || b === 19));
}

/**
 * IPv6 literals outside global unicast (2000::/3) are refused: ::1, ::, ::ffff:a.b.c.d (IPv4-mapped, which the
 * URL parser writes in hex), fc00::/7 unique-local, fe80::/10 link-local, ff00::/8 multicast.
 */
function isNonPublicIpv6(literal: string): boolean {
  const first = literal.slice(1, -1).split(':')[0] ?? '';
  const value = first === '' ? 0 : parseInt(first, 16);
  return !(value >= 0x2000 && value <= 0x3fff);
}

/** A host the guard refuses before any fetch: localhost names and non-public address literals. */
function isRefusedHost(hostname: string): boolean {
  const host = hostname.replace(/\.$/, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host.startsWith('[')) return isNonPublicIpv6(host);
  const octets = ipv4Octets(host);
  return octets !== null && isNonPublicIpv4(octets);
}

// Dev mode only: documents served by a process on this machine (npm run dev, the end-to-end tests).
function isDevDocument(url: URL): boolean {
  return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
}

/**
 * Returns why the client_id cannot name a metadata document, or null when it may be fetched
 * (draft-ietf-oauth-client-id-metadata-document §3: https, a path, no fragment, no credentials, no dot segments).
 * The id must be in the URL parser's normal form, so the string compared with the document's client_id is the
 * one fetched. The runtime refuses private destinations after DNS (global_fetch_strictly_public, docs/security.md).
 */
export function checkMetadataDocumentUrl(clientId: string, devMode: boolean): string | null {
  if (clientId.length > MAX_URL_CHARS) return `is longer than ${MAX_URL_CHARS} characters`;
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return 'is not a URL';
  }
  if (clientId.includes('#')) return 'must not contain a fragment';
  if (url.username || url.password) return 'must not contain credentials';
  if (url.href !== clientId) return 'must be a URL in normal form (lower-case host, no dot segments, no default port)';
  if (url.pathname === '/') return 'must have a path';
  if (devMode && isDevDocument(url)) return null;
  if (url.protocol !== 'https:') return 'must use https';
  if (isRefusedHost(url.hostname)) return 'must not name localhost or a private, loopback or link-local address';
  return null;
}
