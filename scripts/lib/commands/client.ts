// `client ...` commands: parse options, call scripts/lib/admin-clients.ts, print.
import { MFA_POLICIES, type MfaPolicy } from '../../../src/constants.ts';
import { SIGNING_ALGS } from '../../../src/crypto/keys.ts';
import { listClients } from '../../../src/store/clients.ts';
import type { ClientChanges } from '../../../src/store/clients.ts';
import {
  addClientRedirectUri, changeClient, type ClientWithSecret, registerClient, removeClient, rotateClientSecret, showClient,
} from '../admin-clients.ts';
import { checkClientChanges, type ClientRegistration, CONFIDENTIAL_AUTH_METHODS, prepareClient } from '../client-rules.ts';
import { listOption, oneOf } from '../cli-args.ts';
import { CliError } from '../cli-error.ts';
import { clientFields, clientJson, clientType, formatTable, printJson, printLines } from '../output.ts';
import type { CommandContext } from './context.ts';

/** --first-party or --third-party (the default for new clients); undefined when neither is given. */
function firstPartyOption(v: CommandContext['values']): boolean | undefined {
  if (v['first-party'] && v['third-party']) throw new CliError('--first-party and --third-party exclude each other');
  if (v['first-party']) return true;
  if (v['third-party']) return false;
  return undefined;
}

/** Repeated --resource values as given: URIs may contain commas, so they are not split like --scope. */
function resourceOption(values: string[] | undefined): string[] | undefined {
  return values?.filter((v) => v !== '');
}

/** --mfa off|optional|required, or default (null: the deployment's MFA_POLICY); undefined when not given. */
function mfaOption(v: CommandContext['values']): MfaPolicy | null | undefined {
  const value = oneOf(v.mfa, [...MFA_POLICIES, 'default'] as const, '--mfa');
  return value === 'default' ? null : value;
}

function printSecret(ctx: CommandContext, { client, clientSecret }: ClientWithSecret, heading: string): void {
  if (ctx.json) {
    printJson({ client_id: client.clientId, client_secret: clientSecret });
    return;
  }
  const lines = [heading, `client_id:     ${client.clientId}`];
  if (clientSecret !== null) {
    lines.push(`client_secret: ${clientSecret}`, '', 'Store the secret now: it is shown only this once (only its hash is kept).');
  } else {
    lines.push('client_secret: (none: public client, use PKCE)');
  }
  printLines(lines);
}

export async function createClient(ctx: CommandContext): Promise<void> {
  const v = ctx.values;
  if (v.name === undefined) throw new CliError('client create needs --name NAME');
  if (v.public && v['auth-method'] !== undefined) throw new CliError('--public and --auth-method exclude each other (a public client uses none)');
  const registration: ClientRegistration = {
    clientId: v['client-id'],
    name: v.name,
    isPublic: v.public ?? false,
    authMethod: oneOf(v['auth-method'], CONFIDENTIAL_AUTH_METHODS, '--auth-method'),
    grantTypes: listOption(v.grant),
    scopes: listOption(v.scope),
    redirectUris: v['redirect-uri'],
    postLogoutRedirectUris: v['post-logout-redirect-uri'],
    audience: v.audience,
    resources: resourceOption(v.resource),
    idTokenAlg: oneOf(v['id-token-alg'], SIGNING_ALGS, '--id-token-alg'),
    firstParty: firstPartyOption(v),
    mfaPolicy: mfaOption(v),
  };
  prepareClient(registration);
  const result = await registerClient(await ctx.db(), ctx.actor, registration);
  const party = result.client.firstParty ? ', first-party' : '';
  const type = `${clientType(result.client)}, ${result.client.tokenEndpointAuthMethod}${party}`;
  printSecret(ctx, result, `Created client ${JSON.stringify(result.client.name)} (${type}).`);
}

export async function listClientsCommand(ctx: CommandContext): Promise<void> {
  const clients = await listClients(await ctx.db());
  if (ctx.json) return printJson(clients.map(clientJson));
  if (clients.length === 0) return printLines(['No clients.']);
  // BY: admin (the CLI) or dcr (registered itself at /register, RFC 7591).
  printLines(formatTable(
    ['CLIENT_ID', 'TYPE', 'BY', 'GRANTS', 'NAME', 'RESOURCES'],
    clients.map((c) => [c.clientId, clientType(c), c.registeredBy, c.grantTypes.join(','), c.name, c.resources.join(' ') || '-']),
  ));
}

export async function showClientCommand(ctx: CommandContext): Promise<void> {
  const client = await showClient(await ctx.db(), ctx.args[0]!);
  if (ctx.json) return printJson(clientJson(client));
  printLines(clientFields(client));
}

export async function deleteClientCommand(ctx: CommandContext): Promise<void> {
  const clientId = ctx.args[0]!;
  await removeClient(await ctx.db(), ctx.actor, clientId);
  if (ctx.json) return printJson({ client_id: clientId, deleted: true });
  printLines([`Deleted client ${clientId}. Worker isolates may serve it from cache for up to 30 seconds.`]);
}

export async function rotateSecretCommand(ctx: CommandContext): Promise<void> {
  const result = await rotateClientSecret(await ctx.db(), ctx.actor, ctx.args[0]!);
  printSecret(ctx, result, `New secret for client ${result.client.clientId}; the old one no longer works.`);
}

export async function addRedirectUriCommand(ctx: CommandContext): Promise<void> {
  const [clientId, uri] = ctx.args as [string, string];
  const db = await ctx.db();
  const added = await addClientRedirectUri(db, ctx.actor, clientId, uri);
  if (ctx.json) return printJson({ ...clientJson(await showClient(db, clientId)), added });
  printLines([added ? `Added ${uri} to client ${clientId}.` : `Client ${clientId} already has ${uri}.`]);
}

export async function updateClientCommand(ctx: CommandContext): Promise<void> {
  const v = ctx.values;
  const changes: ClientChanges = {};
  if (v.name !== undefined) changes.name = v.name;
  if (v.grant !== undefined) changes.grantTypes = listOption(v.grant);
  if (v.scope !== undefined) changes.scopes = listOption(v.scope);
  if (v['redirect-uri'] !== undefined) changes.redirectUris = v['redirect-uri'];
  if (v['post-logout-redirect-uri'] !== undefined) changes.postLogoutRedirectUris = v['post-logout-redirect-uri'];
  // An empty --audience "" goes back to the default audience (the issuer).
  if (v.audience !== undefined) changes.audience = v.audience === '' ? null : v.audience;
  // Replaces the list; --resource "" clears it.
  if (v.resource !== undefined) changes.resources = resourceOption(v.resource);
  const firstParty = firstPartyOption(v);
  if (firstParty !== undefined) changes.firstParty = firstParty;
  const mfaPolicy = mfaOption(v);
  if (mfaPolicy !== undefined) changes.mfaPolicy = mfaPolicy;
  if (Object.keys(changes).length === 0) {
    throw new CliError(
      'client update needs at least one of --name, --grant, --scope, --redirect-uri, --post-logout-redirect-uri, --audience, --resource, --first-party, --third-party, --mfa',
    );
  }
  checkClientChanges(changes);
  const client = await changeClient(await ctx.db(), ctx.actor, ctx.args[0]!, changes);
  if (ctx.json) return printJson(clientJson(client));
  printLines([`Updated client ${client.clientId}.`, ...clientFields(client)]);
}
