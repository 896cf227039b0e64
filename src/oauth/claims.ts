// User claims (OIDC Core §5.1) released by scope at /userinfo, or by name (within the scopes) through the claims parameter.
import { SCOPE_CLAIMS, type SupportedScope } from '../constants.ts';
import type { User } from '../store/users.ts';

type ClaimValue = string | boolean | number;

function claimValue(user: User, name: string): ClaimValue | null {
  switch (name) {
    case 'name': return user.name;
    case 'preferred_username': return user.username;
    case 'updated_at': return user.updatedAt;
    case 'email': return user.email;
    case 'email_verified': return user.email === null ? null : user.emailVerified;
    default: return null;
  }
}

/** The named claims the user has a value for; absent values are omitted, never null (OIDC Core §5.3.2). */
export function claimsForUser(user: User, names: readonly string[]): Record<string, ClaimValue> {
  const out: Record<string, ClaimValue> = {};
  for (const name of names) {
    const value = claimValue(user, name);
    if (value !== null) out[name] = value;
  }
  return out;
}

/** The user claims the granted scopes carry (OIDC Core §5.4); `sub` is always released and listed apart. */
export function claimsOfScopes(scopes: readonly string[]): string[] {
  return scopes.flatMap((s) => (s in SCOPE_CLAIMS && s !== 'openid' ? [...SCOPE_CLAIMS[s as SupportedScope]] : []));
}

/**
 * The claims asked for by name (OIDC Core §5.5) that a granted scope carries: the claims parameter picks
 * within what the user consented to, never beyond it; other names are left out silently.
 */
export function releasableClaims(requested: readonly string[], scopes: readonly string[]): string[] {
  const released = new Set(claimsOfScopes(scopes));
  return requested.filter((name) => released.has(name));
}

export function claimsForScopes(user: User, scopes: readonly string[]): Record<string, ClaimValue> {
  return { sub: user.id, ...claimsForUser(user, claimsOfScopes(scopes)) };
}
