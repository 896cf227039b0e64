// RFC 7591 §2: a registration (or RFC 7592 update) request's metadata read into the client it asks for.
import { SCOPES_SUPPORTED, SIGNING_ALGS_SUPPORTED, TOKEN_ENDPOINT_AUTH_METHODS } from '../../constants.ts';
import type { SigningAlg } from '../../crypto/keys.ts';
import type { TokenEndpointAuthMethod } from '../../store/clients.ts';
import { OAuthError } from '../errors.ts';
import { checkRedirectUriForRegistration } from '../redirect-uri.ts';
import { parseScope } from '../scopes.ts';
import { type MetadataObject, readHttpsUri, readOneOf, readString, readStringArray } from './fields.ts';

/** Grants a self-registered client may use: the code flow and its refresh (docs/decisions.md). */
export const REGISTRABLE_GRANT_TYPES = ['authorization_code', 'refresh_token'];
const MAX_REDIRECT_URIS = 10;

/** Metadata kept only to be returned as registered (RFC 7591 §3.2.1). */
export interface RegistrationExtras {
  client_uri?: string;
  logo_uri?: string;
  contacts?: string[];
  software_id?: string;
  software_version?: string;
}

export interface ClientMetadata {
  name: string;
  /** null when the request named none: the policy picks (RFC 7591 §2 defaults to client_secret_basic). */
  tokenEndpointAuthMethod: TokenEndpointAuthMethod | null;
  grantTypes: string[];
  scopes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  idTokenSignedResponseAlg: SigningAlg;
  extras: RegistrationExtras;
}

function checkUris(uris: string[], name: string, code: 'invalid_redirect_uri' | 'invalid_client_metadata'): string[] {
  for (const uri of uris) {
    const problem = checkRedirectUriForRegistration(uri);
    if (problem) throw new OAuthError(code, `${name} ${JSON.stringify(uri.slice(0, 100))} ${problem}`);
  }
  return uris;
}

/** RFC 7591 §2.1: grant_types and response_types must agree; only the code flow is offered. */
function readGrantTypes(body: MetadataObject): string[] {
  const grantTypes = readStringArray(body, 'grant_types', 5) ?? ['authorization_code'];
  const refused = grantTypes.find((g) => !REGISTRABLE_GRANT_TYPES.includes(g));
  if (refused !== undefined) throw new OAuthError('invalid_client_metadata', `grant_type ${refused.slice(0, 100)} is not available to registered clients`);
  const responseTypes = readStringArray(body, 'response_types', 5) ?? ['code'];
  if (responseTypes.length !== 1 || responseTypes[0] !== 'code') throw new OAuthError('invalid_client_metadata', 'response_types must be ["code"]');
  if (!grantTypes.includes('authorization_code')) {
    throw new OAuthError('invalid_client_metadata', 'response_types code needs the authorization_code grant type (RFC 7591 §2.1)');
  }
  return grantTypes;
}

/** The supported scopes asked for; none named means all of them. Others are dropped, as RFC 7591 §3.2.1 allows. */
function readScopes(body: MetadataObject): string[] {
  const scope = readString(body, 'scope', 1000);
  if (scope === undefined) return [...SCOPES_SUPPORTED];
  let asked: string[];
  try {
    asked = parseScope(scope);
  } catch {
    throw new OAuthError('invalid_client_metadata', 'scope contains characters RFC 6749 §3.3 does not allow');
  }
  return SCOPES_SUPPORTED.filter((s) => asked.includes(s));
}

function readExtras(body: MetadataObject): RegistrationExtras {
  const extras: RegistrationExtras = {
    client_uri: readHttpsUri(body, 'client_uri'),
    logo_uri: readHttpsUri(body, 'logo_uri'),
    contacts: readStringArray(body, 'contacts', 5)?.map((c) => {
      if (c.length > 254 || /[\s\x00-\x1f\x7f]/.test(c)) throw new OAuthError('invalid_client_metadata', 'contacts must be e-mail addresses');
      return c;
    }),
    software_id: readString(body, 'software_id'),
    software_version: readString(body, 'software_version'),
  };
  return Object.fromEntries(Object.entries(extras).filter(([, v]) => v !== undefined));
}

/** Reads the members this server supports; unknown members are ignored (RFC 7591 §2). */
export function readClientMetadata(body: MetadataObject): ClientMetadata {
  const grantTypes = readGrantTypes(body);
  const redirectUris = checkUris(readStringArray(body, 'redirect_uris', MAX_REDIRECT_URIS, 'invalid_redirect_uri') ?? [], 'redirect_uri', 'invalid_redirect_uri');
  if (redirectUris.length === 0) throw new OAuthError('invalid_redirect_uri', 'redirect_uris must name at least one redirect URI');
  const method = readString(body, 'token_endpoint_auth_method', 100);
  if (method !== undefined && !(TOKEN_ENDPOINT_AUTH_METHODS as readonly string[]).includes(method)) {
    throw new OAuthError('invalid_client_metadata', `token_endpoint_auth_method must be one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}`);
  }
  const name = readString(body, 'client_name')?.trim();
  return {
    name: name ? name : 'Unnamed application',
    tokenEndpointAuthMethod: (method as TokenEndpointAuthMethod | undefined) ?? null,
    grantTypes,
    scopes: readScopes(body),
    redirectUris,
    postLogoutRedirectUris: checkUris(readStringArray(body, 'post_logout_redirect_uris', MAX_REDIRECT_URIS) ?? [], 'post_logout_redirect_uri', 'invalid_client_metadata'),
    idTokenSignedResponseAlg: readOneOf(body, 'id_token_signed_response_alg', SIGNING_ALGS_SUPPORTED, 'RS256'),
    extras: readExtras(body),
  };
}
