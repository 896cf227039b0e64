// Client administration shared by the admin CLI and the dev script: validation, secrets, store calls, audit.
import { CLIENT_SECRET_BYTES } from '../../src/constants.ts';
import { hashClientSecret } from '../../src/crypto/digest.ts';
import type { SigningAlg } from '../../src/crypto/keys.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { checkRedirectUriForRegistration } from '../../src/oauth/redirect-uri.ts';
import {
  type Client, ClientExistsError, deleteClient, findClient, insertClient, updateClient, updateClientSecretHash,
  updateRedirectUris, type ClientChanges, type TokenEndpointAuthMethod,
} from '../../src/store/clients.ts';
import type { D1Like } from '../../src/store/db.ts';
import { type Actor, recordAdminEvent } from './admin-audit.ts';
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
  idTokenAlg?: SigningAlg;
}

export interface ClientWithSecret {
  client: Client;
  /** The plain secret, shown once; null for public clients. */
  clientSecret: string | null;
}

interface ClientSettings {
  name: string;
  authMethod: TokenEndpointAuthMethod;
  grantTypes: string[];
  scopes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  audience: string | null;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new CliError('the client name must not be empty');
  if (trimmed.length > MAX_NAME_CHARS) throw new CliError(`the client name must be at most ${MAX_NAME_CHARS} characters`);
  if (/[\x00-\x1f\x7f]/.test(trimmed)) throw new CliError('the client name must not contain control characters');
  return trimmed;
}

function checkUris(uris: string[], label: string): string[] {
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

/** The rules between settings, checked on creation and after every update. */
function checkSettings(s: ClientSettings): ClientSettings {
  const checked = {
    name: checkName(s.name),
    authMethod: s.authMethod,
    grantTypes: checkGrantTypes(s.grantTypes),
    scopes: checkScopes(s.scopes),
    redirectUris: checkUris(s.redirectUris, 'redirect URI'),
    postLogoutRedirectUris: checkUris(s.postLogoutRedirectUris, 'post-logout redirect URI'),
    audience: checkAudience(s.audience),
  };
  // RFC 6749 §4.4: client credentials are for clients that can authenticate.
  if (checked.authMethod === 'none' && checked.grantTypes.includes('client_credentials')) {
    throw new CliError('client_credentials needs a confidential client: a public client cannot authenticate');
  }
  if (checked.grantTypes.includes('authorization_code') && checked.redirectUris.length === 0) {
    throw new CliError('a client with the authorization_code grant needs at least one --redirect-uri');
  }
  return checked;
}

async function requireClient(db: D1Like, clientId: string): Promise<Client> {
  const client = await findClient(db, clientId);
  if (!client) throw new CliError(`no client with id ${JSON.stringify(clientId)}`);
  return client;
}

/** A random id that starts with a letter or digit, so it never looks like a command-line option. */
function generateClientId(): string {
  for (;;) {
    const id = randomToken(CLIENT_ID_BYTES);
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}

interface PreparedClient extends ClientSettings {
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
}

/** Registers a client; confidential clients get a fresh secret, stored only as its hash. */
export async function registerClient(db: D1Like, actor: Actor, r: ClientRegistration): Promise<ClientWithSecret> {
  const { clientId, ...settings } = prepareClient(r);
  const clientSecret = r.isPublic ? null : randomToken(CLIENT_SECRET_BYTES);
  let client: Client;
  try {
    client = await insertClient(db, {
      clientId,
      secretHash: clientSecret === null ? null : await hashClientSecret(clientSecret),
      name: settings.name,
      tokenEndpointAuthMethod: settings.authMethod,
      grantTypes: settings.grantTypes,
      scopes: settings.scopes,
      redirectUris: settings.redirectUris,
      postLogoutRedirectUris: settings.postLogoutRedirectUris,
      idTokenSignedResponseAlg: r.idTokenAlg ?? 'RS256',
      audience: settings.audience,
    });
  } catch (error) {
    if (error instanceof ClientExistsError) throw new CliError(`a client with id ${JSON.stringify(clientId)} already exists`);
    throw error;
  }
  await recordAdminEvent(db, actor, 'admin.client.create', { clientId }, {
    name: client.name,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    grant_types: client.grantTypes,
    redirect_uris: client.redirectUris,
  });
  return { client, clientSecret };
}

/** Replaces a confidential client's secret; the old one stops working at once (codes it obtained too). */
export async function rotateClientSecret(db: D1Like, actor: Actor, clientId: string): Promise<ClientWithSecret> {
  const client = await requireClient(db, clientId);
  if (client.tokenEndpointAuthMethod === 'none') throw new CliError(`client ${clientId} is public: it has no secret to rotate`);
  const clientSecret = randomToken(CLIENT_SECRET_BYTES);
  if (!(await updateClientSecretHash(db, clientId, await hashClientSecret(clientSecret)))) {
    throw new CliError(`no client with id ${JSON.stringify(clientId)}`);
  }
  await recordAdminEvent(db, actor, 'admin.client.rotate-secret', { clientId });
  return { client: await requireClient(db, clientId), clientSecret };
}

/** Adds one redirect URI; returns whether it was new. */
export async function addClientRedirectUri(db: D1Like, actor: Actor, clientId: string, uri: string): Promise<boolean> {
  const client = await requireClient(db, clientId);
  const [checked] = checkUris([uri], 'redirect URI');
  if (client.redirectUris.includes(checked!)) return false;
  await updateRedirectUris(db, clientId, [...client.redirectUris, checked!]);
  await recordAdminEvent(db, actor, 'admin.client.add-redirect-uri', { clientId }, { redirect_uri: checked });
  return true;
}

/** Replaces the given settings (lists are replaced whole), after checking the result as a whole. */
export async function changeClient(db: D1Like, actor: Actor, clientId: string, changes: ClientChanges): Promise<Client> {
  const current = await requireClient(db, clientId);
  const checked = checkSettings({
    name: changes.name ?? current.name,
    authMethod: current.tokenEndpointAuthMethod,
    grantTypes: changes.grantTypes ?? current.grantTypes,
    scopes: changes.scopes ?? current.scopes,
    redirectUris: changes.redirectUris ?? current.redirectUris,
    postLogoutRedirectUris: changes.postLogoutRedirectUris ?? current.postLogoutRedirectUris,
    audience: changes.audience === undefined ? current.audience : changes.audience,
  });
  const applied: ClientChanges = {};
  if (changes.name !== undefined) applied.name = checked.name;
  if (changes.grantTypes !== undefined) applied.grantTypes = checked.grantTypes;
  if (changes.scopes !== undefined) applied.scopes = checked.scopes;
  if (changes.redirectUris !== undefined) applied.redirectUris = checked.redirectUris;
  if (changes.postLogoutRedirectUris !== undefined) applied.postLogoutRedirectUris = checked.postLogoutRedirectUris;
  if (changes.audience !== undefined) applied.audience = checked.audience;
  const updated = await updateClient(db, clientId, applied);
  if (!updated) throw new CliError(`no client with id ${JSON.stringify(clientId)}`);
  await recordAdminEvent(db, actor, 'admin.client.update', { clientId }, { changed: Object.keys(applied) });
  return updated;
}

export async function removeClient(db: D1Like, actor: Actor, clientId: string): Promise<void> {
  if (!(await deleteClient(db, clientId))) throw new CliError(`no client with id ${JSON.stringify(clientId)}`);
  await recordAdminEvent(db, actor, 'admin.client.delete', { clientId });
}

export async function showClient(db: D1Like, clientId: string): Promise<Client> {
  return requireClient(db, clientId);
}
