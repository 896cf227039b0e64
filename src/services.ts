// Per-isolate services: config parsed, keys and peppers imported once, reused by every request.
import type { Bindings } from './bindings.ts';
import { readConfig, type Config } from './config.ts';
import { importKeySet, type KeySet } from './crypto/keys.ts';
import { importPeppers, type Peppers } from './crypto/password.ts';
import { importEnvelopeKeys, type EnvelopeKeys } from './crypto/jwt.ts';
import { importDataKeys, type DataKeys } from './crypto/data-key.ts';

export interface Services {
  config: Config;
  keys: KeySet;
  peppers: Peppers;
  envelopeKeys: EnvelopeKeys;
  /** DATA_ENCRYPTION_KEY: encryption at rest (TOTP secrets) and keyed digests (recovery codes). */
  dataKeys: DataKeys;
}

// Every var and secret the services are built from.
const SOURCE_KEYS = [
  'ISSUER', 'ACCESS_TOKEN_TTL_SECONDS', 'ID_TOKEN_TTL_SECONDS', 'SESSION_TTL_SECONDS',
  'REFRESH_TOKEN_IDLE_TTL_SECONDS', 'REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS', 'LOGOUT_REVOKES_REFRESH_TOKENS',
  'THROTTLE_WINDOW_SECONDS', 'LOGIN_MAX_ATTEMPTS_PER_ACCOUNT', 'LOGIN_MAX_ATTEMPTS_PER_IP', 'CLIENT_AUTH_MAX_FAILURES',
  'DEVICE_CODE_MAX_ATTEMPTS_PER_IP', 'AUDIT_RETENTION_DAYS',
  'CLIENT_REGISTRATION', 'REGISTRATION_MAX_PER_IP', 'REGISTRATION_UNUSED_CLIENT_DAYS',
  'ACCESS_TOKEN_SIGNING_ALG', 'BRAND_NAME', 'BRAND_LOGO_URL', 'BRAND_ACCENT_COLOR', 'DEV_MODE', 'ALLOWED_RESOURCES',
  'MFA_POLICY', 'MFA_REMEMBER_DEVICE_DAYS',
  'SIGNING_KEYS', 'PASSWORD_PEPPER', 'SESSION_SECRET', 'DATA_ENCRYPTION_KEY',
  'SIGNUP', 'TURNSTILE_SITE_KEY', 'TURNSTILE_SECRET_KEY', 'TURNSTILE_VERIFY_URL', 'PRIVACY_POLICY_URL', 'TERMS_OF_SERVICE_URL',
] as const satisfies readonly (keyof Bindings)[];

let cached: { env: Bindings; services: Promise<Services> } | null = null;

/** Same vars and secrets: compared value by value (no serialising of the signing keys on every request). */
function sameSource(a: Bindings, b: Bindings): boolean {
  for (const key of SOURCE_KEYS) if (a[key] !== b[key]) return false;
  return true;
}

async function build(env: Bindings): Promise<Services> {
  const config = readConfig(env);
  const [keys, peppers, envelopeKeys, dataKeys] = await Promise.all([
    importKeySet(env.SIGNING_KEYS ?? ''),
    importPeppers(env.PASSWORD_PEPPER ?? ''),
    importEnvelopeKeys(env.SESSION_SECRET ?? ''),
    importDataKeys(env.DATA_ENCRYPTION_KEY ?? ''),
  ]);
  return { config, keys, peppers, envelopeKeys, dataKeys };
}

/** Builds the services on the isolate's first request; rebuilds only if a var or secret changes. */
export function loadServices(env: Bindings): Promise<Services> {
  // The same env object (every request of an isolate), or another one with the same values.
  if (cached && (cached.env === env || sameSource(cached.env, env))) return cached.services;
  const services = build(env);
  cached = { env, services };
  // A bad secret must not stay cached as a rejected promise forever if it is then fixed.
  services.catch(() => { if (cached?.services === services) cached = null; });
  return services;
}
