// Authorization responses: the redirect back to a verified redirect_uri, with `iss` (RFC 9207).
import type { OAuthError } from './errors.ts';

/**
 * Adds parameters to the redirect URI's query, keeping the query it was registered with (RFC 6749 §3.1.2).
 * The registered string is kept byte for byte (no URL normalisation): redirect URIs never carry a fragment.
 */
export function buildRedirectUrl(redirectUri: string, params: Record<string, string | null>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== null) query.append(name, value);
  const added = query.toString();
  if (!added) return redirectUri;
  const separator = !redirectUri.includes('?') ? '?' : redirectUri.endsWith('?') || redirectUri.endsWith('&') ? '' : '&';
  return redirectUri + separator + added;
}

export function errorRedirectUrl(redirectUri: string, error: OAuthError, state: string | null, issuer: string): string {
  return buildRedirectUrl(redirectUri, {
    error: error.code,
    error_description: error.description,
    state,
    iss: issuer,
  });
}
