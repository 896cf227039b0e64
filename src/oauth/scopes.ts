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
 * `openid` is required: edge-oidc is an OpenID Provider.
 */
export function grantScopes(requested: string[], allowed: readonly string[]): string[] {
  if (!requested.includes('openid')) throw new OAuthError('invalid_scope', 'the openid scope is required');
  const supported = new Set<string>(SCOPES_SUPPORTED);
  return requested.filter((s) => supported.has(s) && (s === 'openid' || allowed.includes(s)));
}
