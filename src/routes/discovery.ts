// Discovery: OIDC Discovery §4 and RFC 8414 metadata, built from the constants the code enforces.
import { Hono } from 'hono/tiny';
import {
  ACR_VALUES_SUPPORTED, CLAIMS_SUPPORTED, CODE_CHALLENGE_METHODS_SUPPORTED, GRANT_TYPES_SUPPORTED, PROMPT_VALUES_SUPPORTED,
  RESPONSE_MODES_SUPPORTED, RESPONSE_TYPES_SUPPORTED, SCOPES_SUPPORTED, SIGNING_ALGS_SUPPORTED,
  SUBJECT_TYPES_SUPPORTED, TOKEN_ENDPOINT_AUTH_METHODS,
} from '../constants.ts';
import type { Config } from '../config.ts';
import type { KeySet } from '../crypto/keys.ts';
import type { AppEnv } from '../env.ts';
import { UI_LOCALES_SUPPORTED } from '../i18n/catalogue.ts';

export const JWKS_PATH = '/.well-known/jwks.json';
/** Public, cacheable, readable from any origin (the preflight is Hono's cors in src/index.ts). */
const DOCUMENT_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=3600', 'Access-Control-Allow-Origin': '*' };

const cache = new Map<string, string>();

function buildMetadata(issuer: string, registrationOpen: boolean, { policyUri, tosUri }: Config['branding']) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    end_session_endpoint: `${issuer}/logout`,
    device_authorization_endpoint: `${issuer}/device_authorization`,
    revocation_endpoint: `${issuer}/revoke`,
    revocation_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    introspection_endpoint: `${issuer}/introspect`,
    introspection_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS.filter((m) => m !== 'none'),
    jwks_uri: `${issuer}${JWKS_PATH}`,
    response_types_supported: RESPONSE_TYPES_SUPPORTED,
    response_modes_supported: RESPONSE_MODES_SUPPORTED,
    grant_types_supported: GRANT_TYPES_SUPPORTED,
    subject_types_supported: SUBJECT_TYPES_SUPPORTED,
    id_token_signing_alg_values_supported: SIGNING_ALGS_SUPPORTED,
    scopes_supported: SCOPES_SUPPORTED,
    claims_supported: CLAIMS_SUPPORTED,
    acr_values_supported: ACR_VALUES_SUPPORTED,
    claim_types_supported: ['normal'],
    claims_parameter_supported: true,
    token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    code_challenge_methods_supported: CODE_CHALLENGE_METHODS_SUPPORTED,
    prompt_values_supported: PROMPT_VALUES_SUPPORTED,
    authorization_response_iss_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    require_request_uri_registration: false,
    ui_locales_supported: UI_LOCALES_SUPPORTED,
    // draft-ietf-oauth-client-id-metadata-document §5: https client_ids name their own metadata (src/clients/).
    client_id_metadata_document_supported: true,
    // RFC 8414 §2 / OIDC Discovery §3: only while CLIENT_REGISTRATION lets someone register.
    ...(registrationOpen ? { registration_endpoint: `${issuer}/register` } : {}),
    // OIDC Discovery §3: published only when configured (PRIVACY_POLICY_URL, TERMS_OF_SERVICE_URL).
    ...(policyUri ? { op_policy_uri: policyUri } : {}),
    ...(tosUri ? { op_tos_uri: tosUri } : {}),
  };
}

// Serialised once per isolate and configuration (issuer, registration policy, policy links): served from memory.
function metadataJson({ issuer, registration, branding }: Config): string {
  const key = JSON.stringify([issuer, registration.policy, branding.policyUri, branding.tosUri]);
  let json = cache.get(key);
  if (!json) {
    json = JSON.stringify(buildMetadata(issuer, registration.policy !== 'closed', branding));
    cache.set(key, json);
  }
  return json;
}

// Serialised once per imported key set, like the metadata.
const jwksCache = new WeakMap<KeySet, string>();
function jwksJson(keys: KeySet): string {
  let json = jwksCache.get(keys);
  if (!json) {
    json = JSON.stringify(keys.publicJwks);
    jwksCache.set(keys, json);
  }
  return json;
}

export const discoveryRoutes = new Hono<AppEnv>()
  .get('/openid-configuration', (c) => c.body(metadataJson(c.get('services').config), 200, DOCUMENT_HEADERS))
  .get('/oauth-authorization-server', (c) => c.body(metadataJson(c.get('services').config), 200, DOCUMENT_HEADERS))
  .get('/jwks.json', (c) => c.body(jwksJson(c.get('services').keys), 200, DOCUMENT_HEADERS));
