// Per-isolate services: config parsed, keys and peppers imported once, reused by every request.
import { readConfig, type Bindings, type Config } from './env.ts';
import { importKeySet, type KeySet } from './crypto/keys.ts';
import { importPeppers, type Peppers } from './crypto/password.ts';
import { importEnvelopeKey } from './crypto/jwt.ts';

export interface Services {
  config: Config;
  keys: KeySet;
  peppers: Peppers;
  envelopeKey: CryptoKey;
}

let cached: { env: Bindings; source: string; services: Promise<Services> } | null = null;

function sourceOf(env: Bindings): string {
  return JSON.stringify([
    env.ISSUER, env.ACCESS_TOKEN_TTL_SECONDS, env.ID_TOKEN_TTL_SECONDS, env.SESSION_TTL_SECONDS,
    env.REFRESH_TOKEN_IDLE_TTL_SECONDS, env.REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS, env.LOGOUT_REVOKES_REFRESH_TOKENS,
    env.THROTTLE_WINDOW_SECONDS, env.LOGIN_MAX_ATTEMPTS_PER_ACCOUNT, env.LOGIN_MAX_ATTEMPTS_PER_IP, env.CLIENT_AUTH_MAX_FAILURES,
    env.DEVICE_CODE_MAX_ATTEMPTS_PER_IP, env.AUDIT_RETENTION_DAYS,
    env.ACCESS_TOKEN_SIGNING_ALG, env.BRAND_NAME, env.BRAND_LOGO_URL, env.BRAND_ACCENT_COLOR, env.DEV_MODE,
    env.SIGNING_KEYS, env.PASSWORD_PEPPER, env.SESSION_SECRET,
  ]);
}

async function build(env: Bindings): Promise<Services> {
  const config = readConfig(env);
  const [keys, peppers, envelopeKey] = await Promise.all([
    importKeySet(env.SIGNING_KEYS ?? ''),
    importPeppers(env.PASSWORD_PEPPER ?? ''),
    importEnvelopeKey(env.SESSION_SECRET ?? ''),
  ]);
  return { config, keys, peppers, envelopeKey };
}

/** Builds the services on the isolate's first request; rebuilds only if the env itself changes. */
export function loadServices(env: Bindings): Promise<Services> {
  // The same env object (every request of an isolate): no need to serialise it again.
  if (cached?.env === env) return cached.services;
  const source = sourceOf(env);
  if (cached?.source !== source) {
    const services = build(env);
    cached = { env, source, services };
    // A bad secret must not stay cached as a rejected promise forever if it is then fixed.
    services.catch(() => { if (cached?.services === services) cached = null; });
  } else {
    cached.env = env;
  }
  return cached.services;
}
