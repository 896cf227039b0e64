// A clients row and the client record the rest of the service reads from it.
import type { MfaPolicy } from '../constants.ts';
import type { SigningAlg } from '../crypto/keys.ts';
import { parseJsonArray } from './db.ts';

export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';
/** An administrator (the CLI), the client itself (RFC 7591 /register), or a metadata document (never stored). */
export type RegisteredBy = 'admin' | 'dcr' | 'cimd';

/** A client as registered; D1 adds the timestamps. */
export interface NewClient {
  clientId: string;
  secretHash: string | null;
  name: string;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  grantTypes: string[];
  scopes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  idTokenSignedResponseAlg: SigningAlg;
  audience: string | null;
  /** Further resources (RFC 8707) its access tokens may be for, beside its audience; none when absent. */
  resources?: string[];
  /** Belongs to this service (set by an administrator): its users are not asked for consent. */
  firstParty: boolean;
  /** Its own second-factor policy (migration 0009); null or absent: the deployment's MFA_POLICY. */
  mfaPolicy?: MfaPolicy | null;
}

export interface Client extends NewClient {
  /** Anything but 'admin' always sees consent (docs/decisions.md, "Client ID metadata documents"). */
  registeredBy: RegisteredBy;
  resources: string[];
  mfaPolicy: MfaPolicy | null;
  createdAt: number;
  updatedAt: number;
}

export interface ClientRow {
  client_id: string;
  secret_hash: string | null;
  name: string;
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  grant_types: string;
  scopes: string;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  id_token_signed_response_alg: SigningAlg;
  audience: string | null;
  resources: string;
  first_party: number;
  mfa_policy: MfaPolicy | null;
  created_at: number;
  updated_at: number;
  registered_by: 'admin' | 'dcr';
}

export const CLIENT_COLUMNS =
  'client_id, secret_hash, name, token_endpoint_auth_method, grant_types, scopes, redirect_uris, ' +
  'post_logout_redirect_uris, id_token_signed_response_alg, audience, first_party, created_at, updated_at, resources, registered_by, mfa_policy';

export function toClient(row: ClientRow): Client {
  return {
    clientId: row.client_id,
    secretHash: row.secret_hash,
    name: row.name,
    tokenEndpointAuthMethod: row.token_endpoint_auth_method,
    grantTypes: parseJsonArray(row.grant_types),
    scopes: parseJsonArray(row.scopes),
    redirectUris: parseJsonArray(row.redirect_uris),
    postLogoutRedirectUris: parseJsonArray(row.post_logout_redirect_uris),
    idTokenSignedResponseAlg: row.id_token_signed_response_alg,
    audience: row.audience,
    resources: parseJsonArray(row.resources),
    firstParty: row.first_party === 1,
    registeredBy: row.registered_by,
    mfaPolicy: row.mfa_policy,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
