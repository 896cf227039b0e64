// The authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1) as an ordered chain of checks.
import { MAX_NONCE_CHARS, MAX_STATE_CHARS } from '../constants.ts';
import type { KeySet } from '../crypto/keys.ts';
import type { Locale } from '../i18n/catalogue.ts';
import { matchUiLocales } from '../i18n/negotiate.ts';
import type { Client } from '../store/clients.ts';
import { parseAcrRequest, type AcrRequest } from './acr.ts';
import { parseIdTokenClaims, parseMaxAge, parsePrompt, readIdTokenHintSub, type Prompt } from './authorize-params.ts';
import { OAuthError } from './errors.ts';
import type { RequestParams } from './params.ts';
import { readCodeChallenge } from './pkce.ts';
import { grantResources, readResources } from './resources.ts';
import { grantOfflineAccess, grantScopes, parseScope } from './scopes.ts';
import type { TrustedTarget } from './trusted-target.ts';

// Step 1 and the parameter types keep their home here for the routes that import them.
export type { Prompt } from './authorize-params.ts';
export { UntrustedRedirectError, verifyClientAndRedirectUri, type TrustedTarget } from './trusted-target.ts';

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
  /** The shipped language ui_locales named first (OIDC Core §3.1.2.1); absent when it named none. */
  uiLocale?: Locale;
  /** RFC 8707: the resources granted (asked for, or the client's default); absent in transactions sealed before them. */
  resources?: string[];
  /** idp_hint (docs/decisions.md): the upstream provider to go to directly, instead of the sign-in page. */
  idpHint?: string | null;
}

function refuseUnsupportedParameters(params: RequestParams): void {
  if (params.has('request')) throw new OAuthError('request_not_supported', 'request objects are not supported');
  if (params.has('request_uri')) throw new OAuthError('request_uri_not_supported', 'request_uri is not supported');
  if (params.has('registration')) throw new OAuthError('registration_not_supported', 'the registration parameter is not supported');
}

function checkResponseTypeAndMode(params: RequestParams, client: Client): void {
  const responseType = params.get('response_type');
  if (responseType === undefined) throw new OAuthError('invalid_request', 'response_type is required');
  // RFC 9700 §2.1.2: implicit and hybrid flows are refused; only the code flow is offered.
  if (responseType !== 'code') throw new OAuthError('unsupported_response_type', 'only response_type=code is supported');
  if (!client.grantTypes.includes('authorization_code')) {
    throw new OAuthError('unauthorized_client', 'this client may not use the authorization code grant');
  }
  const responseMode = params.get('response_mode');
  if (responseMode !== undefined && responseMode !== 'query') throw new OAuthError('invalid_request', 'only response_mode=query is supported');
}

function readClientCodeChallenge(params: RequestParams, client: Client): string | null {
  const codeChallenge = readCodeChallenge(params.get('code_challenge'), params.get('code_challenge_method'));
  // RFC 9700 §2.1.1: public clients must use PKCE.
  if (codeChallenge === null && client.tokenEndpointAuthMethod === 'none') {
    throw new OAuthError('invalid_request', 'code_challenge is required for public clients');
  }
  return codeChallenge;
}

/** Step 2, once the redirect URI is trusted: every other parameter, errors to be redirected. */
export async function readAuthorizationRequest(
  params: RequestParams,
  target: TrustedTarget,
  keys: KeySet,
  issuer: string,
  loadClient: (id: string) => Promise<Client | null>,
  /** ALLOWED_RESOURCES: resources (RFC 8707) every client may ask for. */
  allowedResources: readonly string[] = [],
): Promise<AuthorizationRequest> {
  const { client, redirectUri } = target;
  params.get('state', MAX_STATE_CHARS);
  refuseUnsupportedParameters(params);
  checkResponseTypeAndMode(params, client);
  const requestedScope = grantScopes(parseScope(params.get('scope')), client.scopes);
  const nonce = params.get('nonce', MAX_NONCE_CHARS) ?? null;
  const codeChallenge = readClientCodeChallenge(params, client);
  const prompt = parsePrompt(params.get('prompt'));
  const scope = grantOfflineAccess(requestedScope, client.grantTypes);
  const resources = grantResources(readResources(params), client, allowedResources);
  const maxAge = parseMaxAge(params.get('max_age'));
  const idTokenHintSub = await readIdTokenHintSub(params.get('id_token_hint', 8192), keys, issuer, loadClient, client);
  const idTokenClaims = parseIdTokenClaims(params.get('claims', 4096));
  const acr = parseAcrRequest(params.get('acr_values'), params.get('claims', 4096));
  const loginHint = params.get('login_hint', 256) ?? null;
  const uiLocale = matchUiLocales(params.get('ui_locales'));
  const idpHint = params.get('idp_hint', 64) ?? null;
  // Accepted and validated for size; claims have one locale and the pages no display variants.
  for (const name of ['claims_locales', 'display']) params.get(name);

  return {
    clientId: client.clientId, redirectUri, state: target.state, scope, nonce, codeChallenge,
    prompt, maxAge, loginHint, idTokenHintSub, idTokenClaims, acr, resources, idpHint, ...(uiLocale ? { uiLocale } : {}),
  };
}
