// The sign-up settings of Config (who may create an account, Turnstile) and the policy and terms documents.
import type { Bindings } from './bindings.ts';
import { ConfigError } from './config-error.ts';

/** Who may create an account at /signup (docs/decisions.md, "Sign-up modes"). */
export type SignupMode = 'closed' | 'invite' | 'open';

/** Cloudflare Turnstile on the sign-up form and past the per-address sign-in limit. */
export interface TurnstileConfig {
  siteKey: string;
  secretKey: string;
  /** Cloudflare's siteverify by default; a local stand-in in tests. */
  verifyUrl: string;
}

export interface SignupConfig {
  signup: SignupMode;
  /** null when not configured: no widget, no verification, the sign-in limit refuses as before. */
  turnstile: TurnstileConfig | null;
}

/** OIDC Discovery's op_policy_uri and op_tos_uri, also linked in the pages' footer (part of Branding). */
export interface DocumentLinks {
  policyUri: string | null;
  tosUri: string | null;
}

const TURNSTILE_VERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';

function readSignup(value: string | undefined): SignupMode {
  const mode = value || 'closed';
  if (mode !== 'closed' && mode !== 'invite' && mode !== 'open') throw new ConfigError('SIGNUP must be closed, invite or open');
  return mode;
}

/** Both keys or neither: half a configuration would silently skip the challenge, so it refuses to start instead. */
function readTurnstile(env: Bindings): TurnstileConfig | null {
  const siteKey = env.TURNSTILE_SITE_KEY || '';
  const secretKey = env.TURNSTILE_SECRET_KEY || '';
  if (!siteKey && !secretKey) return null;
  if (!siteKey || !secretKey) throw new ConfigError('TURNSTILE_SITE_KEY and the TURNSTILE_SECRET_KEY secret go together');
  const verifyUrl = env.TURNSTILE_VERIFY_URL || TURNSTILE_VERIFY_URL;
  if (!/^https?:\/\/[^/?#]/.test(verifyUrl)) throw new ConfigError('TURNSTILE_VERIFY_URL must be an http(s) URL');
  return { siteKey, secretKey, verifyUrl };
}

function readDocumentUrl(value: string | undefined, name: string): string | null {
  if (!value) return null;
  if (!/^https:\/\/[^/?#]/.test(value)) throw new ConfigError(`${name} must be an https URL`);
  return value;
}

export function readSignupConfig(env: Bindings): SignupConfig {
  return {
    signup: readSignup(env.SIGNUP),
    turnstile: readTurnstile(env),
  };
}

export function readDocumentLinks(env: Bindings): DocumentLinks {
  return {
    policyUri: readDocumentUrl(env.PRIVACY_POLICY_URL, 'PRIVACY_POLICY_URL'),
    tosUri: readDocumentUrl(env.TERMS_OF_SERVICE_URL, 'TERMS_OF_SERVICE_URL'),
  };
}
