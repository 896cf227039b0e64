// The authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1) as an ordered chain of checks.
import { CLAIMS_SUPPORTED, MAX_NONCE_CHARS, MAX_REDIRECT_URI_CHARS, MAX_STATE_CHARS, PROMPT_VALUES_SUPPORTED } from '../constants.ts';
import type { KeySet } from '../crypto/keys.ts';
import type { Client } from '../store/clients.ts';
import { parseAcrRequest, type AcrRequest } from './acr.ts';
import { OAuthError } from './errors.ts';
import { readIdTokenHint } from './id-token-hint.ts';
import type { RequestParams } from './params.ts';
import { readCodeChallenge } from './pkce.ts';
import { isRegisteredRedirectUri } from './redirect-uri.ts';
import { grantOfflineAccess, grantScopes, parseScope } from './scopes.ts';

export type Prompt = (typeof PROMPT_VALUES_SUPPORTED)[number];

/** A validated authorization request: what the login form carries (signed) and the code records. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  state: string | null;
  scope: string[];
  nonce: string | null;
  codeChallenge: string | null;
  prompt: Prompt[];
  maxAge: number | null;
  loginHint: string | null;
  idTokenHintSub: string | null;
  idTokenClaims: string[];
  /** Null when the client asked nothing about acr: the id_token then has no acr. */
  acr: AcrRequest | null;
}

/** Thrown before the redirect URI is trusted: rendered as an HTML page, never a redirect (§4.1.2.1). */
export class UntrustedRedirectError extends Error {
  readonly status = 400;
}

export interface TrustedTarget {
  client: Client;
  redirectUri: string;
  state: string | null;
}

function single(params: RequestParams, name: string, maxChars: number): string | undefined {
  try {
    return params.get(name, maxChars);
  } catch {
    throw new UntrustedRedirectError(`The ${name} parameter is repeated or too long.`);
  }
}

/** Step 1: the client and its redirect URI, by exact string comparison. */
export async function verifyClientAndRedirectUri(
  params: RequestParams,
  loadClient: (id: string) => Promise<Client | null>,
): Promise<TrustedTarget> {
  const clientId = single(params, 'client_id', 256);
  if (!clientId) throw new UntrustedRedirectError('The request has no client_id.');
  const client = await loadClient(clientId);
  if (!client) throw new UntrustedRedirectError('The client_id is not registered.');
  const redirectUri = single(params, 'redirect_uri', MAX_REDIRECT_URI_CHARS);
  // OIDC Core §3.1.2.1: redirect_uri is required.
  if (!redirectUri) throw new UntrustedRedirectError('The request has no redirect_uri.');
  if (!isRegisteredRedirectUri(client.redirectUris, redirectUri)) {
    throw new UntrustedRedirectError('The redirect_uri is not registered for this client.');
  }
  let state: string | null = null;
  try {
    state = params.get('state', MAX_STATE_CHARS) ?? null;
  } catch {
    state = null; // reported by the next step, without echoing an oversized or repeated state
  }
  return { client, redirectUri, state };
}

function parsePrompt(value: string | undefined): Prompt[] {
  if (value === undefined) return [];
  const values = [...new Set(value.split(' ').filter(Boolean))];
  for (const v of values) {
    if (!(PROMPT_VALUES_SUPPORTED as readonly string[]).includes(v)) throw new OAuthError('invalid_request', `unsupported prompt value ${v}`);
  }
  // OIDC Core §3.1.2.1: none must not be combined with any other value.
  if (values.includes('none') && values.length > 1) throw new OAuthError('invalid_request', 'prompt=none cannot be combined with other values');
  return values as Prompt[];
}

function parseMaxAge(value: string | undefined): number | null {
  if (value === undefined) return null;
  if (!/^\d{1,10}$/.test(value)) throw new OAuthError('invalid_request', 'max_age must be a non-negative integer');
  return Number(value);
}

/** OIDC Core §5.5: the claims wanted in the id_token; only claims we support are kept. */
function parseIdTokenClaims(value: string | undefined): string[] {
  if (value === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new OAuthError('invalid_request', 'claims is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new OAuthError('invalid_request', 'claims must be a JSON object');
  const idToken = (parsed as { id_token?: unknown }).id_token;
  if (idToken === undefined || idToken === null) return [];
  if (typeof idToken !== 'object' || Array.isArray(idToken)) throw new OAuthError('invalid_request', 'claims.id_token must be a JSON object');
  return Object.keys(idToken).filter((name) => CLAIMS_SUPPORTED.includes(name));
}

/** Step 2, once the redirect URI is trusted: every other parameter, errors to be redirected. */
export async function readAuthorizationRequest(
  params: RequestParams,
  target: TrustedTarget,
  keys: KeySet,
  issuer: string,
  loadClient: (id: string) => Promise<Client | null>,
): Promise<AuthorizationRequest> {
  const { client, redirectUri } = target;
  params.get('state', MAX_STATE_CHARS);
  if (params.has('request')) throw new OAuthError('request_not_supported', 'request objects are not supported');
  if (params.has('request_uri')) throw new OAuthError('request_uri_not_supported', 'request_uri is not supported');
  if (params.has('registration')) throw new OAuthError('registration_not_supported', 'the registration parameter is not supported');

  const responseType = params.get('response_type');
  if (responseType === undefined) throw new OAuthError('invalid_request', 'response_type is required');
  // RFC 9700 §2.1.2: implicit and hybrid flows are refused; only the code flow is offered.
  if (responseType !== 'code') throw new OAuthError('unsupported_response_type', 'only response_type=code is supported');
  if (!client.grantTypes.includes('authorization_code')) {
    throw new OAuthError('unauthorized_client', 'this client may not use the authorization code grant');
  }
  const responseMode = params.get('response_mode');
  if (responseMode !== undefined && responseMode !== 'query') throw new OAuthError('invalid_request', 'only response_mode=query is supported');

  const requestedScope = grantScopes(parseScope(params.get('scope')), client.scopes);
  const nonce = params.get('nonce', MAX_NONCE_CHARS) ?? null;
  const codeChallenge = readCodeChallenge(params.get('code_challenge'), params.get('code_challenge_method'));
  // RFC 9700 §2.1.1: public clients must use PKCE.
  if (codeChallenge === null && client.tokenEndpointAuthMethod === 'none') {
    throw new OAuthError('invalid_request', 'code_challenge is required for public clients');
  }
  const prompt = parsePrompt(params.get('prompt'));
  const scope = grantOfflineAccess(requestedScope, client.grantTypes);
  const maxAge = parseMaxAge(params.get('max_age'));
  const idTokenHint = params.get('id_token_hint', 8192);
  let idTokenHintSub: string | null = null;
  if (idTokenHint !== undefined) {
    const hint = await readIdTokenHint(keys, issuer, idTokenHint, loadClient, client);
    if (!hint) throw new OAuthError('invalid_request', 'id_token_hint is not a valid id_token from this issuer for a registered client');
    idTokenHintSub = hint.sub;
  }
  const idTokenClaims = parseIdTokenClaims(params.get('claims', 4096));
  const acr = parseAcrRequest(params.get('acr_values'), params.get('claims', 4096));
  const loginHint = params.get('login_hint', 256) ?? null;
  // Accepted and validated for size; the UI has one locale and no display variants.
  for (const name of ['ui_locales', 'claims_locales', 'display']) params.get(name);

  return {
    clientId: client.clientId, redirectUri, state: target.state, scope, nonce, codeChallenge,
    prompt, maxAge, loginHint, idTokenHintSub, idTokenClaims, acr,
  };
}
