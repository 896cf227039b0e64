// Client administration shared by the admin CLI and the dev script: secrets, store calls, audit.
import { CLIENT_SECRET_BYTES } from '../../src/constants.ts';
import { hashClientSecret } from '../../src/crypto/digest.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { deleteClient } from '../../src/store/cascades.ts';
import {
  type Client, ClientExistsError, findClient, insertClient, updateClient, updateClientSecretHash, updateRedirectUris, type ClientChanges,
} from '../../src/store/clients.ts';
import type { D1Like } from '../../src/store/db.ts';
import { findUserById } from '../../src/store/users.ts';
import { type Actor, recordAdminEvent } from './admin-audit.ts';
import { CliError } from './cli-error.ts';
import { checkSettings, checkUris, type ClientRegistration, prepareClient } from './client-rules.ts';

export interface ClientWithSecret {
  client: Client;
  /** The plain secret, shown once; null for public clients. */
  clientSecret: string | null;
}

async function requireClient(db: D1Like, clientId: string): Promise<Client> {
  const client = await findClient(db, clientId);
  if (!client) throw new CliError(`no client with id ${JSON.stringify(clientId)}`);
  return client;
}

/** Registers a client; confidential clients get a fresh secret, stored only as its hash. */
export async function registerClient(db: D1Like, actor: Actor, r: ClientRegistration): Promise<ClientWithSecret> {
  const { clientId, ...settings } = prepareClient(r);
  // A client's id is the `sub` of its client-credentials tokens (RFC 9068 §2.2): it must not be a user's `sub`,
  // or a resource server could not tell that client's tokens from that user's. (User ids are random UUIDs, so
  // only a client id chosen to equal one can collide.)
  if (await findUserById(db, clientId)) {
    throw new CliError(`client id ${JSON.stringify(clientId)} is a user's id (their sub): pick another, so their tokens cannot be confused`);
  }
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
      resources: settings.resources,
      firstParty: r.firstParty ?? false,
      mfaPolicy: r.mfaPolicy ?? null,
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
    first_party: client.firstParty,
    mfa_policy: client.mfaPolicy,
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
    resources: changes.resources ?? current.resources,
  });
  const applied: ClientChanges = {};
  if (changes.name !== undefined) applied.name = checked.name;
  if (changes.grantTypes !== undefined) applied.grantTypes = checked.grantTypes;
  if (changes.scopes !== undefined) applied.scopes = checked.scopes;
  if (changes.redirectUris !== undefined) applied.redirectUris = checked.redirectUris;
  if (changes.postLogoutRedirectUris !== undefined) applied.postLogoutRedirectUris = checked.postLogoutRedirectUris;
  if (changes.audience !== undefined) applied.audience = checked.audience;
  if (changes.resources !== undefined) applied.resources = checked.resources;
  if (changes.firstParty !== undefined) applied.firstParty = changes.firstParty;
  if (changes.mfaPolicy !== undefined) applied.mfaPolicy = changes.mfaPolicy;
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
