// Scopes: space-delimited and case-sensitive (RFC 6749 §3.3); unknown or unallowed scopes are dropped.
import { SCOPES_SUPPORTED } from '../constants.ts';
import { OAuthError } from './errors.ts';

const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

export function parseScope(scope: string | undefined): string[] {
  if (scope === undefined) return [];
  const tokens = scope.split(' ').filter(Boolean);
  if (!tokens.every((t) => SCOPE_TOKEN.test(t))) throw new OAuthError('invalid_scope', 'scope contains invalid characters');
  return [...new Set(tokens)];
}

/**
 * The scopes granted for an authorization request: those we support and the client may request.
 * Others are dropped (RFC 6749 §3.3 allows it; the token response's `scope` says what was granted).
 * Without `openid` it is a plain OAuth 2.0 request (no id_token); no scope at all grants none (docs/decisions.md).
 */
export function grantScopes(requested: string[], allowed: readonly string[]): string[] {
  const supported = new Set<string>(SCOPES_SUPPORTED);
  return requested.filter((s) => supported.has(s) && (s === 'openid' || allowed.includes(s)));
}

/**
 * OIDC Core §11: offline_access is kept only for a client allowed the refresh_token grant; otherwise it is
 * dropped from the granted scope. Consent to it is then obtained like any scope's (src/oauth/consent.ts).
 */
export function grantOfflineAccess(scope: string[], clientGrantTypes: readonly string[]): string[] {
  if (clientGrantTypes.includes('refresh_token')) return scope;
  return scope.filter((s) => s !== 'offline_access');
}

/** RFC 6749 §6: a refresh may narrow the scope, never widen it. */
export function narrowScope(requested: string | undefined, granted: string[]): string[] {
  if (requested === undefined) return granted;
  const wanted = parseScope(requested);
  const extra = wanted.filter((s) => !granted.includes(s));
  if (extra.length > 0) throw new OAuthError('invalid_scope', `scope exceeds the original grant: ${extra.join(' ')}`);
  return wanted;
}

/** RFC 6749 §4.4 / §3.3: client credentials get the requested subset of the client's scopes, or all of them. */
export function grantClientScopes(requested: string | undefined, allowed: readonly string[]): string[] {
  const wanted = requested === undefined ? [...allowed] : parseScope(requested);
  const refused = wanted.filter((s) => !allowed.includes(s) || s === 'openid' || s === 'offline_access');
  if (refused.length > 0) throw new OAuthError('invalid_scope', `scope not allowed for this client: ${refused.join(' ')}`);
  return wanted;
}
