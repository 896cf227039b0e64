// The Worker's bindings: storage, Durable Objects, vars and secrets, as wrangler.toml and `wrangler secret` give them.
import type { SingleUseMarks } from './store/single-use.ts';
import type { AttemptCounter } from './store/throttle-counter.ts';

export interface Bindings {
  DB: D1Database;
  CODES: KVNamespace;
  /** Durable Objects counting sign-in attempts (src/store/throttle-counter.ts). */
  THROTTLE: DurableObjectNamespace<AttemptCounter>;
  /** Durable Objects claiming one-time values: WebAuthn challenges, used TOTP steps (src/store/single-use.ts). */
  SINGLE_USE: DurableObjectNamespace<SingleUseMarks>;
  ISSUER: string;
  ACCESS_TOKEN_TTL_SECONDS?: string;
  ID_TOKEN_TTL_SECONDS?: string;
  SESSION_TTL_SECONDS?: string;
  REFRESH_TOKEN_IDLE_TTL_SECONDS?: string;
  REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS?: string;
  LOGOUT_REVOKES_REFRESH_TOKENS?: string;
  THROTTLE_WINDOW_SECONDS?: string;
  LOGIN_MAX_ATTEMPTS_PER_ACCOUNT?: string;
  LOGIN_MAX_ATTEMPTS_PER_IP?: string;
  CLIENT_AUTH_MAX_FAILURES?: string;
  DEVICE_CODE_MAX_ATTEMPTS_PER_IP?: string;
  AUDIT_RETENTION_DAYS?: string;
  /** RFC 7591 /register: closed (default), token (initial access token) or open (public clients only). */
  CLIENT_REGISTRATION?: string;
  REGISTRATION_MAX_PER_IP?: string;
  REGISTRATION_UNUSED_CLIENT_DAYS?: string;
  ACCESS_TOKEN_SIGNING_ALG?: string;
  BRAND_NAME?: string;
  BRAND_LOGO_URL?: string;
  BRAND_ACCENT_COLOR?: string;
  DEV_MODE?: string;
  /** Resources (RFC 8707) any client may ask for: absolute URIs separated by spaces. */
  ALLOWED_RESOURCES?: string;
  /** off, optional (default) or required: when a second factor is asked (docs/deploy.md). */
  MFA_POLICY?: string;
  /** Days a "remember this device" cookie spares the policy's second factor; 0 (default) turns it off. */
  MFA_REMEMBER_DEVICE_DAYS?: string;
  /** npm run dev's demo gateway, linked from `/` in dev mode. */
  DEV_GATEWAY_URL?: string;
  /** Email (src/mail/): cloudflare | http | outbox; the sender address; the HTTPS JSON API's URL. */
  EMAIL_TRANSPORT?: string;
  EMAIL_FROM?: string;
  EMAIL_API_URL?: string;
  /** Cloudflare's send_email binding (Email Routing: verified destination addresses only). */
  SEND_EMAIL?: SendEmail;
  /** Sign-up (src/accounts/sign-up.ts): closed | invite | open. */
  SIGNUP?: string;
  /** Cloudflare Turnstile: the widget's site key and the siteverify URL (a stand-in in tests). */
  TURNSTILE_SITE_KEY?: string;
  TURNSTILE_VERIFY_URL?: string;
  /** Linked in the pages' footer and published in discovery (op_policy_uri, op_tos_uri). */
  PRIVACY_POLICY_URL?: string;
  TERMS_OF_SERVICE_URL?: string;
  // Secrets (wrangler secret put; .dev.vars locally).
  /** Cloudflare Turnstile's secret key (with TURNSTILE_SITE_KEY). */
  TURNSTILE_SECRET_KEY?: string;
  /** The HTTPS email API's bearer key (EMAIL_TRANSPORT=http). */
  EMAIL_API_KEY?: string;
  SIGNING_KEYS: string;
  PASSWORD_PEPPER: string;
  SESSION_SECRET: string;
  /** AES-256-GCM keys for data at rest, "id:base64[,id:base64...]", newest first (src/crypto/data-key.ts). */
  DATA_ENCRYPTION_KEY: string;
}
