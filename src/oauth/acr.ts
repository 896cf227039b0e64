// Authentication context: the RFC 8176 methods (amr) and the acr level a sign-in reached, and what a request asks of them.
import { ACR_VALUES_SUPPORTED } from '../constants.ts';
import { OAuthError } from './errors.ts';

export type AcrLevel = (typeof ACR_VALUES_SUPPORTED)[number];

/** How the user authenticated, carried by the SSO session and everything issued from it. */
export interface AuthContext {
  amr: string[];
  acr: AcrLevel;
}

/** "2" needs two factors, which RFC 8176 §2 states as "mfa" next to the methods; everything else is "1". */
export function authContextFor(amr: readonly string[]): AuthContext {
  return { amr: [...amr], acr: amr.includes('mfa') ? '2' : '1' };
}

/** A password sign-in: the only method today. */
export const PASSWORD_AUTH: AuthContext = authContextFor(['pwd']);

/** Reads a context back from a signed cookie; cookies sealed before amr/acr existed were password sign-ins. */
export function readAuthContext(amr: unknown, acr: unknown): AuthContext {
  const validAmr = Array.isArray(amr) && amr.length > 0 && amr.every((m) => typeof m === 'string');
  const validAcr = (ACR_VALUES_SUPPORTED as readonly unknown[]).includes(acr);
  return validAmr && validAcr ? { amr: amr as string[], acr: acr as AcrLevel } : PASSWORD_AUTH;
}

/** What the client asked about acr (OIDC Core §3.1.2.1 acr_values, §5.5.1.1 the acr claim). */
export interface AcrRequest {
  /** Acceptable values; empty when any level will do. */
  values: string[];
  essential: boolean;
}

function invalid(description: string): never {
  throw new OAuthError('invalid_request', description);
}

/** The acr member of the claims parameter's id_token object: null, or {essential?, value?, values?}. */
function readAcrClaim(claims: string | undefined): AcrRequest | null {
  if (claims === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(claims);
  } catch {
    invalid('claims is not valid JSON');
  }
  const idToken = (parsed as { id_token?: unknown } | null)?.id_token;
  if (typeof idToken !== 'object' || idToken === null || !('acr' in idToken)) return null;
  const acr = (idToken as { acr: unknown }).acr;
  if (acr === null) return { values: [], essential: false };
  if (typeof acr !== 'object' || Array.isArray(acr)) invalid('claims.id_token.acr must be null or an object');
  const { essential, value, values } = acr as { essential?: unknown; value?: unknown; values?: unknown };
  if (essential !== undefined && typeof essential !== 'boolean') invalid('acr essential must be a boolean');
  if (value !== undefined && typeof value !== 'string') invalid('acr value must be a string');
  if (values !== undefined && !(Array.isArray(values) && values.every((v) => typeof v === 'string'))) invalid('acr values must be an array of strings');
  return { values: [...(value !== undefined ? [value] : []), ...((values as string[] | undefined) ?? [])], essential: essential === true };
}

/** acr_values are voluntary (§3.1.2.1); an essential acr claim takes precedence over them. */
export function parseAcrRequest(acrValues: string | undefined, claims: string | undefined): AcrRequest | null {
  const claim = readAcrClaim(claims);
  if (claim?.essential) return claim;
  const voluntary = acrValues?.split(' ').filter(Boolean) ?? [];
  if (!claim && acrValues === undefined) return null;
  return { values: [...voluntary, ...(claim?.values ?? [])], essential: false };
}

/** Our levels are ordered: a session at "2" also meets "1". Unknown values are never met. */
export function meetsAcr(values: readonly string[], achieved: AcrLevel): boolean {
  const rank = (v: string) => (ACR_VALUES_SUPPORTED as readonly string[]).indexOf(v);
  return values.length === 0 || values.some((v) => rank(v) !== -1 && rank(v) <= rank(achieved));
}

/**
 * Whether the session may answer the request. `fresh`: the user has just signed in, so signing in
 * again cannot raise the level. A session below the level asked must step up: impossible under
 * prompt=none (interaction_required, §3.1.2.6), and for an essential acr a fresh sign-in that still
 * falls short is unmet_authentication_requirements (OpenID Connect Unmet Authentication Requirements 1.0).
 * A voluntary request that is not met is answered with the level achieved.
 */
export function checkAcr(requested: AcrRequest | null, achieved: AcrLevel, fresh: boolean, promptNone: boolean): 'met' | 'sign-in' | OAuthError {
  if (!requested || meetsAcr(requested.values, achieved)) return 'met';
  if (promptNone) return new OAuthError('interaction_required', 'the session does not meet the requested acr');
  if (!requested.essential) return 'met';
  if (!fresh) return 'sign-in';
  return new OAuthError('unmet_authentication_requirements', 'the requested acr cannot be met');
}
