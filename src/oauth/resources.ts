// Resource indicators (RFC 8707): which resources an access token is for, and so its `aud`.
import { MAX_RESOURCE_CHARS, MAX_RESOURCES_PER_REQUEST } from '../constants.ts';
import type { Client } from '../store/clients.ts';
import { OAuthError } from './errors.ts';
import type { RequestParams } from './params.ts';

// RFC 3986 §3.1 scheme, then at least one character: an absolute URI (§4.3) cannot be relative.
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;

/** Why a value is not a resource indicator (RFC 8707 §2), or null when it is one. */
export function resourceUriProblem(value: string): string | null {
  if (value.length > MAX_RESOURCE_CHARS) return `is longer than ${MAX_RESOURCE_CHARS} characters`;
  if (/[\x00-\x20\x7f]/.test(value) || !ABSOLUTE_URI.test(value) || !URL.canParse(value)) return 'is not an absolute URI';
  if (value.includes('#')) return 'must not have a fragment';
  return null;
}

/** The `resource` parameters of a request (RFC 8707 §2: it may be repeated), each checked; [] when none. */
export function readResources(params: RequestParams): string[] {
  // Lengths are checked with the rest below, so an overlong value is invalid_target too (RFC 8707 §2).
  const values = params.getAll('resource', Infinity);
  if (values.length > MAX_RESOURCES_PER_REQUEST) throw new OAuthError('invalid_target', `at most ${MAX_RESOURCES_PER_REQUEST} resource values`);
  for (const value of values) {
    const problem = resourceUriProblem(value);
    if (problem) throw new OAuthError('invalid_target', `the resource ${problem}`);
  }
  return [...new Set(values)];
}

type ResourceClient = Pick<Client, 'audience' | 'resources'>;

/** The client's default resource (its audience) when it asks for none (docs/decisions.md). */
function defaultResources(client: ResourceClient): string[] {
  return client.audience ? [client.audience] : [];
}

/**
 * The resources a grant is for: those asked for, each registered for the client (its resources or its
 * audience) or allowed to every client by the deployment (ALLOWED_RESOURCES); none asked, the default.
 * Values are compared as exact strings (RFC 3986 §6.2.1), so the token's aud is what the resource registered.
 */
export function grantResources(requested: string[], client: ResourceClient, policy: readonly string[]): string[] {
  if (requested.length === 0) return defaultResources(client);
  const refused = requested.filter((r) => r !== client.audience && !client.resources.includes(r) && !policy.includes(r));
  if (refused.length > 0) throw new OAuthError('invalid_target', `resource not allowed for this client: ${refused.join(' ')}`);
  return requested;
}

/** RFC 8707 §2.2: at the token endpoint the resources may be narrowed to a subset of the grant's, never widened. */
export function narrowResources(requested: string[], granted: readonly string[]): string[] {
  if (requested.length === 0) return [...granted];
  const extra = requested.filter((r) => !granted.includes(r));
  if (extra.length > 0) throw new OAuthError('invalid_target', `resource exceeds the original grant: ${extra.join(' ')}`);
  return requested;
}

/**
 * The resources an access token names: those of its grant or, for a grant recorded without any (before
 * migration 0010, or a client that had no audience then), the client's audience today.
 */
export function tokenResources(resources: readonly string[], client: ResourceClient): string[] {
  return resources.length > 0 ? [...resources] : defaultResources(client);
}
