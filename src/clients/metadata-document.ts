// A client metadata document (draft-ietf-oauth-client-id-metadata-document §4) checked and turned into a Client.
import { SCOPES_SUPPORTED, SIGNING_ALGS_SUPPORTED } from '../constants.ts';
import type { SigningAlg } from '../crypto/keys.ts';
import { checkRedirectUriForRegistration } from '../oauth/redirect-uri.ts';
import type { Client } from '../store/clients.ts';
import { ClientMetadataError } from './metadata-error.ts';

/** What the cache keeps of a checked document: enough to rebuild the Client without checking again. */
export interface MetadataRecord {
  clientId: string;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  scopes: string[];
  idTokenSignedResponseAlg: SigningAlg;
  /** Unix seconds when the record must be fetched again. */
  expiresAt: number;
}

const MAX_URIS = 20;
const MAX_NAME_CHARS = 100;

function refuse(why: string): never {
  throw new ClientMetadataError(`the client's metadata document ${why}`);
}

function uriList(doc: Record<string, unknown>, field: string, required: boolean): string[] {
  const value = doc[field];
  if (value === undefined && !required) return [];
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_URIS) refuse(`needs ${field}: a list of 1 to ${MAX_URIS} URIs`);
  for (const uri of value) {
    if (typeof uri !== 'string') refuse(`has a ${field} entry that is not a string`);
    const why = checkRedirectUriForRegistration(uri);
    if (why) refuse(`has a ${field} entry that ${why}`);
  }
  return value as string[];
}

function optionalString(doc: Record<string, unknown>, field: string): string | undefined {
  const value = doc[field];
  if (value !== undefined && typeof value !== 'string') refuse(`has a ${field} that is not a string`);
  return value;
}

function readName(doc: Record<string, unknown>, host: string): string {
  const name = optionalString(doc, 'client_name')?.trim();
  if (name === undefined || name === '') return host;
  // Shown on the consent page (escaped by hono/html); control characters could disguise it.
  if (name.length > MAX_NAME_CHARS || /[\x00-\x1f\x7f]/.test(name)) refuse(`has a client_name longer than ${MAX_NAME_CHARS} characters or with control characters`);
  return name;
}

/** RFC 7591 §2 `scope`: what the client may ask for, among what we support; all of it when absent. */
function readScopes(doc: Record<string, unknown>): string[] {
  const scope = optionalString(doc, 'scope');
  if (scope === undefined) return [...SCOPES_SUPPORTED];
  const wanted = new Set(scope.split(' '));
  return SCOPES_SUPPORTED.filter((s) => wanted.has(s));
}

function readSigningAlg(doc: Record<string, unknown>): SigningAlg {
  const alg = optionalString(doc, 'id_token_signed_response_alg') ?? 'RS256';
  if (!(SIGNING_ALGS_SUPPORTED as readonly string[]).includes(alg)) refuse(`asks for id_token_signed_response_alg ${alg.slice(0, 16)}, which is not supported`);
  return alg as SigningAlg;
}

/**
 * §4.1: the document names its own URL as client_id (exact string comparison). Only public clients: the draft
 * forbids shared secrets, and private_key_jwt is not offered here (docs/decisions.md).
 */
export function readMetadataDocument(url: string, text: string, expiresAt: number): MetadataRecord {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    refuse('is not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) refuse('is not a JSON object');
  const fields = doc as Record<string, unknown>;
  if (fields.client_id !== url) refuse('names another client_id than its own URL');
  const method = optionalString(fields, 'token_endpoint_auth_method') ?? 'none';
  if (method !== 'none') refuse('must describe a public client (token_endpoint_auth_method none)');
  if (fields.client_secret !== undefined) refuse('must not contain a client_secret');
  return {
    clientId: url,
    name: readName(fields, new URL(url).host),
    redirectUris: uriList(fields, 'redirect_uris', true),
    postLogoutRedirectUris: uriList(fields, 'post_logout_redirect_uris', false),
    scopes: readScopes(fields),
    idTokenSignedResponseAlg: readSigningAlg(fields),
    expiresAt,
  };
}

/** The Client the rest of the service reads: public, third-party, code and refresh grants only. */
export function metadataClient(record: MetadataRecord): Client {
  return {
    clientId: record.clientId, secretHash: null, name: record.name, tokenEndpointAuthMethod: 'none',
    grantTypes: ['authorization_code', 'refresh_token'], scopes: record.scopes, redirectUris: record.redirectUris,
    postLogoutRedirectUris: record.postLogoutRedirectUris, idTokenSignedResponseAlg: record.idTokenSignedResponseAlg,
    audience: null, firstParty: false, registeredBy: 'cimd', mfaPolicy: null, createdAt: 0, updatedAt: 0,
    resources: [],
  };
}
