// `provider add|list|show|update|remove`: upstream identity providers (issue 15); the client secret from stdin only.
import { nowSeconds } from '../../../src/clock.ts';
import { sealClientSecret } from '../../../src/upstream/secret.ts';
import {
  deleteProvider, findProvider, insertProvider, listProviders, ProviderExistsError, updateProvider, type UpstreamProvider,
} from '../../../src/store/upstream-providers.ts';
import { recordAdminEvent } from '../admin-audit.ts';
import { applyProviderUpdate, providerFromOptions } from '../admin-providers.ts';
import { CliError } from '../cli-error.ts';
import { formatTable, printJson, printLines } from '../output.ts';
import { readPasswordFromStdin } from '../password-input.ts';
import type { CommandContext } from './context.ts';

/** What list and show print: never the secret, not even its ciphertext. */
function providerJson(p: UpstreamProvider) {
  return {
    name: p.name, kind: p.kind, issuer: p.issuer, tenant: p.tenant, client_id: p.clientId, scopes: p.scopes,
    trust_email: p.trustEmail, allowed_domains: p.allowedDomains, enabled: p.enabled, keep_tokens: p.keepTokens,
  };
}

function providerLines(p: UpstreamProvider): string[] {
  return [
    `name             ${p.name}`, `kind             ${p.kind}`, `issuer           ${p.issuer}`, ...(p.tenant ? [`tenant           ${p.tenant}`] : []),
    `client id        ${p.clientId}`, `client secret    (encrypted)`, `scopes           ${p.scopes.join(' ')}`,
    `trust email      ${p.trustEmail ? 'yes' : 'no'}`, `allowed domains  ${p.allowedDomains.join(' ') || '(any)'}`,
    `status           ${p.enabled ? 'enabled' : 'disabled'}`, `keep tokens      ${p.keepTokens ? 'yes' : 'no'}`,
  ];
}

async function requireProvider(ctx: CommandContext): Promise<UpstreamProvider> {
  const provider = await findProvider(await ctx.db(), ctx.args[0]!);
  if (!provider) throw new CliError(`no provider named ${ctx.args[0]}`);
  return provider;
}

async function readSecret(ctx: CommandContext): Promise<string> {
  if (!ctx.values['client-secret-stdin']) throw new CliError('the client secret comes from stdin: pass --client-secret-stdin');
  return (await readPasswordFromStdin().catch(() => { throw new CliError('no client secret on stdin'); })).trim();
}

export async function addProviderCommand(ctx: CommandContext): Promise<void> {
  const settings = providerFromOptions(ctx.values, nowSeconds());
  // Checked before stdin is read and the key loaded, so a typo costs nothing.
  const secret = await readSecret(ctx);
  const provider = { ...settings, clientSecret: await sealClientSecret(await ctx.dataKeys(), settings.name, secret) };
  const db = await ctx.db();
  try {
    await insertProvider(db, provider);
  } catch (error) {
    throw error instanceof ProviderExistsError ? new CliError(error.message) : error;
  }
  await recordAdminEvent(db, ctx.actor, 'admin.provider.add', {}, { provider: provider.name, kind: provider.kind });
  if (ctx.json) return printJson(providerJson(provider));
  printLines([`Added provider ${provider.name}.`, ...providerLines(provider)]);
}

export async function listProvidersCommand(ctx: CommandContext): Promise<void> {
  const providers = await listProviders(await ctx.db());
  if (ctx.json) return printJson(providers.map((p) => ({ name: p.name, kind: p.kind, issuer: p.issuer, enabled: p.enabled })));
  if (providers.length === 0) return printLines(['No providers.']);
  printLines(formatTable(['NAME', 'KIND', 'STATUS', 'ISSUER'], providers.map((p) => [p.name, p.kind, p.enabled ? 'enabled' : 'disabled', p.issuer])));
}

export async function showProviderCommand(ctx: CommandContext): Promise<void> {
  const provider = await requireProvider(ctx);
  if (ctx.json) return printJson(providerJson(provider));
  printLines(providerLines(provider));
}

export async function updateProviderCommand(ctx: CommandContext): Promise<void> {
  const current = await requireProvider(ctx);
  const next = applyProviderUpdate(current, ctx.values, nowSeconds());
  if (ctx.values['client-secret-stdin']) next.clientSecret = await sealClientSecret(await ctx.dataKeys(), next.name, await readSecret(ctx));
  const db = await ctx.db();
  if (!(await updateProvider(db, next))) throw new CliError(`no provider named ${next.name}`);
  const changed = Object.keys(ctx.values).filter((k) => !['json', 'persist-to', 'remote', 'data-key-file'].includes(k));
  await recordAdminEvent(db, ctx.actor, 'admin.provider.update', {}, { provider: next.name, changed });
  if (ctx.json) return printJson(providerJson(next));
  printLines([`Updated provider ${next.name}.`, ...providerLines(next)]);
}

export async function removeProviderCommand(ctx: CommandContext): Promise<void> {
  const provider = await requireProvider(ctx);
  const db = await ctx.db();
  if (!(await deleteProvider(db, provider.name))) throw new CliError(`no provider named ${provider.name}`);
  await recordAdminEvent(db, ctx.actor, 'admin.provider.remove', {}, { provider: provider.name });
  if (ctx.json) return printJson({ name: provider.name, removed: true });
  printLines([`Removed provider ${provider.name} and its links; linked users keep their other ways to sign in.`]);
}
