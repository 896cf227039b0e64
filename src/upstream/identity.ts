// Who the upstream says signed in: its claims mapped to one shape (email, name, picture, amr), distrusted by default.
import type { UpstreamProvider } from '../store/upstream-providers.ts';

export interface UpstreamIdentity {
  /** The id_token's iss (for Microsoft's multi-tenant issuers, the tenant's own), or GitHub's web origin. */
  issuer: string;
  subject: string;
  email: string | null;
  /** The upstream says the address is verified (what --allowed-domain checks). */
  upstreamVerified: boolean;
  /** What we state: true only when the upstream says so AND the provider is trusted (--trust-email). */
  emailVerified: boolean;
  name: string | null;
  picture: string | null;
  /** The upstream's RFC 8176 values, only from a trusted provider; otherwise empty. */
  amr: string[];
  /** The upstream's tokens, kept (encrypted) only for a provider configured with --keep-tokens. */
  tokens?: UpstreamTokens;
  /** Google's hd (the Workspace domain), when sent. */
  hostedDomain: string | null;
  /** A name for a new account's username: preferred_username, GitHub's login, or the email's local part. */
  handle: string | null;
}

export interface UpstreamTokens {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
}

/** Only the token fields worth keeping, from oauth4webapi's checked token response. */
export function keptTokens(t: UpstreamTokens): UpstreamTokens {
  return { access_token: t.access_token, refresh_token: t.refresh_token, expires_in: t.expires_in, scope: t.scope };
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
// RFC 8176 §2 values are short lower-case words; anything else (or a value of ours such as idp:...) is dropped.
const AMR_VALUE = /^[a-z]{2,16}$/;

export function text(value: unknown, max: number): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : null;
}

function httpsUrl(value: unknown): string | null {
  const s = text(value, 2048);
  return s && s.startsWith('https://') && URL.canParse(s) ? s : null;
}

export function email(value: unknown): string | null {
  const s = text(value, 320);
  return s && EMAIL.test(s) ? s : null;
}

/** An OIDC upstream's id_token claims (with userinfo's merged over them by the caller). */
export function identityFromClaims(p: UpstreamProvider, claims: Record<string, unknown>): UpstreamIdentity {
  const address = email(claims.email);
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === 'string' && AMR_VALUE.test(v)).slice(0, 8) : [];
  return {
    issuer: String(claims.iss),
    subject: String(claims.sub),
    email: address,
    upstreamVerified: address !== null && claims.email_verified === true,
    emailVerified: p.trustEmail && address !== null && claims.email_verified === true,
    name: text(claims.name, 256),
    picture: httpsUrl(claims.picture),
    amr: p.trustEmail ? amr : [],
    hostedDomain: text(claims.hd, 253)?.toLowerCase() ?? null,
    handle: text(claims.preferred_username, 64) ?? address?.split('@')[0] ?? null,
  };
}

/** GitHub's /user and /user/emails (docs.github.com REST "Get the authenticated user", "List email addresses"). */
export function identityFromGithub(p: UpstreamProvider, user: Record<string, unknown>, emails: unknown): UpstreamIdentity {
  const list = Array.isArray(emails) ? emails.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null) : [];
  const primary = list.find((e) => e.primary === true && e.verified === true) ?? list.find((e) => e.verified === true);
  const address = email(primary?.email) ?? email(user.email);
  return {
    issuer: p.issuer,
    subject: String(user.id),
    email: address,
    upstreamVerified: primary !== undefined && address === email(primary.email),
    emailVerified: p.trustEmail && primary !== undefined && address === email(primary.email),
    name: text(user.name, 256),
    picture: httpsUrl(user.avatar_url),
    amr: [],
    hostedDomain: null,
    handle: text(user.login, 64),
  };
}

/**
 * --allowed-domain: Google's hd must be listed; otherwise the verified email's domain must be. A provider without
 * the option lets anyone its upstream signs in through.
 */
export function domainAllowed(p: UpstreamProvider, who: UpstreamIdentity): boolean {
  if (p.allowedDomains.length === 0) return true;
  if (p.kind === 'google') return who.hostedDomain !== null && p.allowedDomains.includes(who.hostedDomain);
  const domain = who.upstreamVerified ? who.email?.split('@')[1]?.toLowerCase() : undefined;
  return domain !== undefined && p.allowedDomains.includes(domain);
}
