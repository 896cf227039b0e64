// Raw vars become a typed Config here, validated once per isolate (src/services.ts).
import type { Bindings } from './bindings.ts';
import { count, readNumber, seconds } from './config-vars.ts';
import { MFA_POLICIES, type MfaPolicy } from './constants.ts';
import { ConfigError } from './config-error.ts';
import { readDocumentLinks, readSignupConfig, type DocumentLinks, type SignupConfig } from './config-signup.ts';
import type { SigningAlg } from './crypto/keys.ts';
import { resourceUriProblem } from './oauth/resources.ts';

export { ConfigError } from './config-error.ts';

export interface Branding extends Partial<DocumentLinks> {
  productName: string;
  logoUrl: string | null;
  accentColor: string;
}

export interface ThrottleConfig {
  windowSeconds: number;
  loginPerAccount: number;
  loginPerIp: number;
  clientAuthFailures: number;
  deviceCodePerIp: number;
}

/** RFC 7591 dynamic registration: who may register at /register (docs/decisions.md, "Dynamic client registration"). */
export type RegistrationPolicy = 'closed' | 'token' | 'open';

export interface RegistrationConfig {
  policy: RegistrationPolicy;
  /** Open registrations per caller address (IPv6 by /64) per THROTTLE_WINDOW_SECONDS. */
  maxPerIp: number;
  /** A registered client that never redeemed a code is deleted this many days after registering. */
  unusedClientDays: number;
}

export interface Config extends SignupConfig {
  issuer: string;
  accessTokenTtlSeconds: number;
  idTokenTtlSeconds: number;
  sessionTtlSeconds: number;
  refreshTokenIdleTtlSeconds: number;
  refreshTokenAbsoluteTtlSeconds: number;
  logoutRevokesRefreshTokens: boolean;
  throttle: ThrottleConfig;
  auditRetentionDays: number;
  registration: RegistrationConfig;
  accessTokenSigningAlg: SigningAlg;
  secureCookies: boolean;
  devMode: boolean;
  branding: Branding;
  /** Resources (RFC 8707) every client may ask for, beside its own registered ones. */
  allowedResources: string[];
  /** The deployment's second-factor policy; a client's own (clients.mfa_policy) overrides it. */
  mfaPolicy: MfaPolicy;
  /** "Remember this device" after a second factor, in days; 0: never offered. */
  rememberDeviceDays: number;
}

function readIssuer(value: string | undefined): string {
  if (!value) throw new ConfigError('ISSUER is not set');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('ISSUER is not an absolute URL');
  }
  // OIDC Discovery §3: https, no query or fragment; http is allowed for loopback development only.
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError('ISSUER must use https (http only for localhost)');
  }
  // A bare "?" or "#" leaves url.search and url.hash empty but would still end up in every endpoint URL.
  if (/[?#]/.test(value)) throw new ConfigError('ISSUER must not have a query or fragment');
  return value.replace(/\/+$/, '');
}

/** ALLOWED_RESOURCES: absolute URIs without a fragment (RFC 8707 §2), separated by spaces; empty means none. */
function readAllowedResources(value: string | undefined): string[] {
  const resources = (value ?? '').split(/\s+/).filter(Boolean);
  for (const r of resources) {
    const problem = resourceUriProblem(r);
    if (problem) throw new ConfigError(`ALLOWED_RESOURCES: ${JSON.stringify(r)} ${problem}`);
  }
  return [...new Set(resources)];
}

const REGISTRATION_POLICIES: readonly RegistrationPolicy[] = ['closed', 'token', 'open'];

function readRegistration(env: Bindings): RegistrationConfig {
  const policy = (env.CLIENT_REGISTRATION || 'closed') as RegistrationPolicy;
  if (!REGISTRATION_POLICIES.includes(policy)) throw new ConfigError('CLIENT_REGISTRATION must be closed, token or open');
  return {
    policy,
    maxPerIp: count(env, 'REGISTRATION_MAX_PER_IP', 10),
    unusedClientDays: readNumber(env, 'REGISTRATION_UNUSED_CLIENT_DAYS', 7, 1, 3650),
  };
}

function readMfaPolicy(value: string | undefined): MfaPolicy {
  if (value === undefined || value === '') return 'optional';
  if (!(MFA_POLICIES as readonly string[]).includes(value)) throw new ConfigError(`MFA_POLICY must be one of ${MFA_POLICIES.join(', ')}`);
  return value as MfaPolicy;
}

const ACCENT_PATTERN = /^#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?$/;

export function readConfig(env: Bindings): Config {
  const issuer = readIssuer(env.ISSUER);
  const alg = env.ACCESS_TOKEN_SIGNING_ALG || 'ES256';
  if (alg !== 'RS256' && alg !== 'ES256') throw new ConfigError('ACCESS_TOKEN_SIGNING_ALG must be RS256 or ES256');
  const accent = env.BRAND_ACCENT_COLOR || '#2563eb';
  if (!ACCENT_PATTERN.test(accent)) throw new ConfigError('BRAND_ACCENT_COLOR must be a hex colour like #2563eb');
  const logo = env.BRAND_LOGO_URL || null;
  // An https URL or a same-origin path; "//host/x" would be another origin without a scheme.
  if (logo !== null && !/^https:\/\/|^\/(?!\/)/.test(logo)) throw new ConfigError('BRAND_LOGO_URL must be https or a path');
  return {
    issuer,
    accessTokenTtlSeconds: seconds(env, 'ACCESS_TOKEN_TTL_SECONDS', 3600),
    idTokenTtlSeconds: seconds(env, 'ID_TOKEN_TTL_SECONDS', 3600),
    sessionTtlSeconds: seconds(env, 'SESSION_TTL_SECONDS', 86_400),
    refreshTokenIdleTtlSeconds: seconds(env, 'REFRESH_TOKEN_IDLE_TTL_SECONDS', 2_592_000),
    refreshTokenAbsoluteTtlSeconds: seconds(env, 'REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS', 7_776_000),
    logoutRevokesRefreshTokens: env.LOGOUT_REVOKES_REFRESH_TOKENS === 'true',
    throttle: {
      windowSeconds: seconds(env, 'THROTTLE_WINDOW_SECONDS', 900),
      loginPerAccount: count(env, 'LOGIN_MAX_ATTEMPTS_PER_ACCOUNT', 5),
      loginPerIp: count(env, 'LOGIN_MAX_ATTEMPTS_PER_IP', 50),
      clientAuthFailures: count(env, 'CLIENT_AUTH_MAX_FAILURES', 10),
      deviceCodePerIp: count(env, 'DEVICE_CODE_MAX_ATTEMPTS_PER_IP', 10),
    },
    auditRetentionDays: count(env, 'AUDIT_RETENTION_DAYS', 90),
    registration: readRegistration(env),
    accessTokenSigningAlg: alg,
    secureCookies: issuer.startsWith('https:'),
    devMode: env.DEV_MODE === 'true',
    mfaPolicy: readMfaPolicy(env.MFA_POLICY),
    rememberDeviceDays: readNumber(env, 'MFA_REMEMBER_DEVICE_DAYS', 0, 0, 365),
    branding: { productName: env.BRAND_NAME || 'edge-oidc', logoUrl: logo, accentColor: accent, ...readDocumentLinks(env) },
    allowedResources: readAllowedResources(env.ALLOWED_RESOURCES),
    ...readSignupConfig(env),
  };
}
