// User claims (OIDC Core §5.1) released by scope at /userinfo, or by name through the claims parameter.
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

export function claimsForScopes(user: User, scopes: readonly string[]): Record<string, ClaimValue> {
  const names = scopes.flatMap((s) => (s in SCOPE_CLAIMS && s !== 'openid' ? [...SCOPE_CLAIMS[s as SupportedScope]] : []));
  return { sub: user.id, ...claimsForUser(user, names) };
}
