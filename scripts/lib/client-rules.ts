// The rules a client registration must follow (RFC 6749, RFC 8252, RFC 9700), checked without touching D1.
import type { MfaPolicy } from '../../src/constants.ts';
import type { SigningAlg } from '../../src/crypto/keys.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { checkRedirectUriForRegistration } from '../../src/oauth/redirect-uri.ts';
import { MAX_RESOURCES_PER_REQUEST } from '../../src/constants.ts';
import { resourceUriProblem } from '../../src/oauth/resources.ts';
import type { ClientChanges, TokenEndpointAuthMethod } from '../../src/store/clients.ts';
import { CliError } from './cli-error.ts';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const CLIENT_GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT] as const;
export const DEFAULT_GRANT_TYPES = ['authorization_code', 'refresh_token'];
export const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
export const CONFIDENTIAL_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;
export const CLIENT_ID_BYTES = 16;

// RFC 6749 §2.3.1 form-encodes client_id inside HTTP Basic; unreserved characters need no encoding at all.
const CLIENT_ID_PATTERN = /^[A-Za-z0-9._~-]{1,128}$/;
// RFC 6749 §3.3 scope-token.
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const MAX_NAME_CHARS = 200;
const MAX_AUDIENCE_CHARS = 2048;

export interface ClientRegistration {
  clientId?: string;
  name: string;
  /** true: token_endpoint_auth_method none, no secret. */
  isPublic: boolean;
  authMethod?: (typeof CONFIDENTIAL_AUTH_METHODS)[number];
  grantTypes?: string[];
  scopes?: string[];
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  audience?: string | null;
  /** Resources (RFC 8707) its tokens may be for, beside the audience. */
  resources?: string[];
  idTokenAlg?: SigningAlg;
  /** Belongs to this service: its users are not asked for consent. Never set for dynamically registered clients. */
  firstParty?: boolean;
  /** Its own second-factor policy; null or absent: the deployment's MFA_POLICY. */
  mfaPolicy?: MfaPolicy | null;
}

export interface ClientSettings {
  name: string;
  authMethod: TokenEndpointAuthMethod;
  grantTypes: string[];
  scopes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  audience: string | null;
  resources: string[];
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new CliError('the client name must not be empty');
  if (trimmed.length > MAX_NAME_CHARS) throw new CliError(`the client name must be at most ${MAX_NAME_CHARS} characters`);
  if (/[\x00-\x1f\x7f]/.test(trimmed)) throw new CliError('the client name must not contain control characters');
  return trimmed;
}

export function checkUris(uris: string[], label: string): string[] {
  for (const uri of uris) {
    const problem = checkRedirectUriForRegistration(uri);
    if (problem) throw new CliError(`${label} ${JSON.stringify(uri)} ${problem}`);
  }
  return [...new Set(uris)];
}

function checkGrantTypes(grants: string[]): string[] {
  if (grants.length === 0) throw new CliError('a client needs at least one grant type');
  for (const grant of grants) {
    if (!(CLIENT_GRANT_TYPES as readonly string[]).includes(grant)) {
      throw new CliError(`unknown grant type ${JSON.stringify(grant)}: use one of ${CLIENT_GRANT_TYPES.join(', ')}`);
    }
  }
  return [...new Set(grants)];
}

function checkScopes(scopes: string[]): string[] {
  for (const scope of scopes) {
    if (!SCOPE_TOKEN.test(scope)) throw new CliError(`scope ${JSON.stringify(scope)} contains characters RFC 6749 §3.3 does not allow`);
  }
  return [...new Set(scopes)];
}

function checkAudience(audience: string | null): string | null {
  if (audience === null) return null;
  if (audience === '' || audience.length > MAX_AUDIENCE_CHARS || /[\s\x00-\x1f\x7f]/.test(audience)) {
    throw new CliError('the audience must be a non-empty string without whitespace');
  }
  return audience;
}

// Registered resources are checked as requests are (RFC 8707 §2); a request names at most this many at once.
const MAX_CLIENT_RESOURCES = 10 * MAX_RESOURCES_PER_REQUEST;

function checkResources(resources: string[]): string[] {
  for (const resource of resources) {
    const problem = resourceUriProblem(resource);
    if (problem) throw new CliError(`resource ${JSON.stringify(resource)} ${problem} (RFC 8707 §2: an absolute URI without a fragment)`);
  }
  const unique = [...new Set(resources)];
  if (unique.length > MAX_CLIENT_RESOURCES) throw new CliError(`a client may register at most ${MAX_CLIENT_RESOURCES} resources`);
  return unique;
}

/** The rules between settings, checked on creation and after every update. */
export function checkSettings(s: ClientSettings): ClientSettings {
  const checked = {
    name: checkName(s.name),
    authMethod: s.authMethod,
    grantTypes: checkGrantTypes(s.grantTypes),
    scopes: checkScopes(s.scopes),
    redirectUris: checkUris(s.redirectUris, 'redirect URI'),
    postLogoutRedirectUris: checkUris(s.postLogoutRedirectUris, 'post-logout redirect URI'),
    audience: checkAudience(s.audience),
    resources: checkResources(s.resources),
  };
  // RFC 6749 §4.4: client credentials are for clients that can authenticate.
  if (checked.authMethod === 'none' && checked.grantTypes.includes('client_credentials')) {
    throw new CliError('client_credentials needs a confidential client: a public client cannot authenticate');
  }
  // RFC 9068 §2.2 requires aud, and RFC 9700 §4.9 keeps the issuer out of it: the resource must be named.
  if (checked.grantTypes.includes('client_credentials') && checked.audience === null && checked.resources.length === 0) {
    throw new CliError('client_credentials needs --audience or --resource: the resource server its access tokens are for');
  }
  if (checked.grantTypes.includes('authorization_code') && checked.redirectUris.length === 0) {
    throw new CliError('a client with the authorization_code grant needs at least one --redirect-uri');
  }
  return checked;
}

/** A random id that starts with a letter or digit, so it never looks like a command-line option. */
function generateClientId(): string {
  for (;;) {
    const id = randomToken(CLIENT_ID_BYTES);
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}

export interface PreparedClient extends ClientSettings {
  clientId: string;
}

/** Checks a registration without touching the database, so a typo fails before D1 is opened. */
export function prepareClient(r: ClientRegistration): PreparedClient {
  const clientId = r.clientId ?? generateClientId();
  if (!CLIENT_ID_PATTERN.test(clientId)) throw new CliError('client ids may use only letters, digits and . _ ~ - (at most 128)');
  const settings = checkSettings({
    name: r.name,
    authMethod: r.isPublic ? 'none' : (r.authMethod ?? 'client_secret_basic'),
    grantTypes: r.grantTypes ?? DEFAULT_GRANT_TYPES,
    scopes: r.scopes ?? DEFAULT_SCOPES,
    redirectUris: r.redirectUris ?? [],
    postLogoutRedirectUris: r.postLogoutRedirectUris ?? [],
    audience: r.audience ?? null,
    resources: r.resources ?? [],
  });
  return { clientId, ...settings };
}

/** Checks each given change on its own; the rules between settings are checked against the stored client. */
export function checkClientChanges(changes: ClientChanges): void {
  if (changes.name !== undefined) checkName(changes.name);
  if (changes.grantTypes !== undefined) checkGrantTypes(changes.grantTypes);
  if (changes.scopes !== undefined) checkScopes(changes.scopes);
  if (changes.redirectUris !== undefined) checkUris(changes.redirectUris, 'redirect URI');
  if (changes.postLogoutRedirectUris !== undefined) checkUris(changes.postLogoutRedirectUris, 'post-logout redirect URI');
  if (changes.audience !== undefined) checkAudience(changes.audience);
  if (changes.resources !== undefined) checkResources(changes.resources);
}
