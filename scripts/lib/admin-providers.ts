// Upstream provider settings from the CLI's options: the presets (google, microsoft, github), checked before storing.
import type { UpstreamKind, UpstreamProvider } from '../../src/store/upstream-providers.ts';
import { UPSTREAM_KINDS } from '../../src/store/upstream-providers.ts';
import { CliError } from './cli-error.ts';
import type { OptionValues } from './cli-args.ts';

// A name appears in URLs (/upstream/NAME/...) and on buttons' form values: short, lower case, no spaces.
const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const DEFAULT_SCOPES: Record<UpstreamKind, string[]> = {
  oidc: ['openid', 'email', 'profile'],
  google: ['openid', 'email', 'profile'],
  microsoft: ['openid', 'email', 'profile'],
  github: ['read:user', 'user:email'],
};

export function checkProviderName(name: string | undefined): string {
  if (!name || !NAME.test(name)) throw new CliError('--name must be 1-32 of a-z 0-9 _ - (starting with a letter or digit)');
  return name;
}

/** https, or http on this machine only (a local upstream under wrangler dev); no query, fragment or credentials. */
export function checkIssuer(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(`--issuer ${text} is not an absolute URL`);
  }
  const local = url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname);
  if ((url.protocol !== 'https:' && !local) || url.search || url.hash || url.username || url.password) {
    throw new CliError(`--issuer ${text} must be an https URL without query, fragment or credentials`);
  }
  return text.replace(/\/$/, '');
}

/** The issuer each preset implies; --issuer overrides github's web origin (GitHub Enterprise Server, a stand-in). */
function presetIssuer(kind: UpstreamKind, v: OptionValues): string {
  if (kind === 'google') return 'https://accounts.google.com';
  if (kind === 'microsoft') {
    const tenant = v.tenant ?? '';
    if (!TENANT.test(tenant)) throw new CliError('--kind microsoft needs --tenant (common, organizations, consumers, or a tenant id or domain)');
    return `https://login.microsoftonline.com/${tenant}/v2.0`;
  }
  if (kind === 'github') return v.issuer ? checkIssuer(v.issuer) : 'https://github.com';
  if (!v.issuer) throw new CliError('--kind oidc needs --issuer URL');
  return checkIssuer(v.issuer);
}

export function checkKind(kind: string | undefined): UpstreamKind {
  if (!kind || !(UPSTREAM_KINDS as readonly string[]).includes(kind)) throw new CliError(`--kind must be one of ${UPSTREAM_KINDS.join(', ')}`);
  return kind as UpstreamKind;
}

function checkDomains(domains: string[]): string[] {
  return domains.map((d) => {
    const lower = d.toLowerCase();
    if (!DOMAIN.test(lower)) throw new CliError(`--allowed-domain ${d} is not a domain name`);
    return lower;
  });
}

function checkScopes(scopes: string[], kind: UpstreamKind): string[] {
  for (const s of scopes) if (!/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s)) throw new CliError(`--scope ${s} is not a valid scope token (RFC 6749 §3.3)`);
  // OIDC providers need openid; it is added rather than refused.
  return kind !== 'github' && !scopes.includes('openid') ? ['openid', ...scopes] : scopes;
}

function flag(on: boolean | undefined, off: boolean | undefined, name: string): boolean | undefined {
  if (on && off) throw new CliError(`--${name} and --no-${name} contradict each other`);
  return on ? true : off ? false : undefined;
}

/** The settings of `provider add` (all but the secret, which comes from stdin after these checks). */
export function providerFromOptions(v: OptionValues, now: number): Omit<UpstreamProvider, 'clientSecret'> {
  const kind = checkKind(v.kind);
  const name = checkProviderName(v.name);
  if (!v['client-id']) throw new CliError('provider add needs --client-id ID');
  if (kind !== 'microsoft' && v.tenant !== undefined) throw new CliError('--tenant is for --kind microsoft');
  if ((kind === 'google' || kind === 'microsoft') && v.issuer !== undefined) throw new CliError(`--kind ${kind} has a fixed issuer; leave out --issuer`);
  return {
    name, kind, issuer: presetIssuer(kind, v), tenant: kind === 'microsoft' ? v.tenant! : null, clientId: v['client-id'],
    scopes: v.scope ? checkScopes(v.scope, kind) : DEFAULT_SCOPES[kind], trustEmail: v['trust-email'] ?? false,
    allowedDomains: checkDomains(v['allowed-domain'] ?? []), enabled: !(v.disable ?? false), keepTokens: v['keep-tokens'] ?? false,
    createdAt: now, updatedAt: now,
  };
}

/** `provider update`: only what the options name changes (lists are replaced); kind and name stay. */
export function applyProviderUpdate(p: UpstreamProvider, v: OptionValues, now: number): UpstreamProvider {
  if (v.kind !== undefined || v.name !== undefined) throw new CliError('a provider keeps its --kind and --name: remove it and add it again');
  const next: UpstreamProvider = { ...p, updatedAt: now };
  if (v.issuer !== undefined || v.tenant !== undefined) {
    if (p.kind === 'google' || (p.kind === 'microsoft' && v.issuer !== undefined)) throw new CliError(`--kind ${p.kind} has a fixed issuer`);
    if (p.kind !== 'microsoft' && v.tenant !== undefined) throw new CliError('--tenant is for --kind microsoft');
    next.issuer = presetIssuer(p.kind, { issuer: v.issuer ?? p.issuer, tenant: v.tenant ?? p.tenant ?? undefined });
    if (p.kind === 'microsoft') next.tenant = v.tenant ?? p.tenant;
  }
  if (v['client-id'] !== undefined) next.clientId = v['client-id'];
  if (v.scope) next.scopes = checkScopes(v.scope, p.kind);
  if (v['allowed-domain']) next.allowedDomains = checkDomains(v['allowed-domain']);
  next.trustEmail = flag(v['trust-email'], v['no-trust-email'], 'trust-email') ?? p.trustEmail;
  next.keepTokens = flag(v['keep-tokens'], v['no-keep-tokens'], 'keep-tokens') ?? p.keepTokens;
  if (v.enable && v.disable) throw new CliError('--enable and --disable contradict each other');
  next.enabled = v.enable ? true : v.disable ? false : p.enabled;
  return next;
}
