// Protocol and platform constants, each with its unit in the name; discovery publishes these same values.

// Production workerd refuses PBKDF2 above 100,000 iterations (local workerd does not enforce it).
export const PBKDF2_MAX_ITERATIONS = 100_000;
// Stored hashes below this are refused as out of range rather than verified cheaply.
export const PBKDF2_MIN_ITERATIONS = 10_000;
export const PBKDF2_ITERATIONS = 100_000;
export const PASSWORD_SALT_BYTES = 16;
export const PASSWORD_HASH_BYTES = 32;
export const PASSWORD_MAX_CHARS = 1024;

export const CLIENT_SECRET_BYTES = 32;
export const AUTHORIZATION_CODE_BYTES = 32;
export const SESSION_ID_BYTES = 32;

// KV's minimum expirationTtl is 60 s, and RFC 6749 §4.1.2 recommends at most 10 minutes.
export const CODE_TTL_SECONDS = 60;
// How long the signed authorization request may sit on the login form.
export const LOGIN_TRANSACTION_TTL_SECONDS = 600;
// Per-isolate cache of client records: other changes reach every isolate within this; a rotated or deleted
// secret is refused at once, since every secret use re-checks the hash on the D1 primary (src/store/client-check.ts).
export const CLIENT_CACHE_TTL_MS = 30_000;

export const RESPONSE_TYPES_SUPPORTED = ['code'] as const;
export const RESPONSE_MODES_SUPPORTED = ['query'] as const;
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const GRANT_TYPES_SUPPORTED = ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT] as const;
// RFC 8628 §3.2: how long a device code lives and how often the device may poll.
export const DEVICE_CODE_TTL_SECONDS = 600;
export const DEVICE_POLL_INTERVAL_SECONDS = 5;
export const DEVICE_CODE_BYTES = 32;
export const SUBJECT_TYPES_SUPPORTED = ['public'] as const;
export const SIGNING_ALGS_SUPPORTED = ['RS256', 'ES256'] as const;
export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
// RFC 7636 §4.2 and RFC 9700 §2.1.1: only S256; "plain" is refused.
export const CODE_CHALLENGE_METHODS_SUPPORTED = ['S256'] as const;
export const PROMPT_VALUES_SUPPORTED = ['none', 'login', 'consent', 'select_account'] as const;

// Scopes whose claims are really returned, and the claims each one releases at /userinfo.
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'preferred_username', 'updated_at'],
  email: ['email', 'email_verified'],
  // OIDC Core §11: releases no claims; asks for a refresh token.
  offline_access: [],
} as const;
export type SupportedScope = keyof typeof SCOPE_CLAIMS;
export const SCOPES_SUPPORTED = Object.keys(SCOPE_CLAIMS) as SupportedScope[];
export const REFRESH_TOKEN_BYTES = 32;
// Authentication context levels (docs/security.md): "1" one factor, "2" multi-factor.
export const ACR_VALUES_SUPPORTED = ['1', '2'] as const;
// When a second factor is asked after the first (MFA_POLICY, and per client clients.mfa_policy; docs/authentication.md).
export const MFA_POLICIES = ['off', 'optional', 'required'] as const;
/** off: never asked (unless acr "2" is requested); optional: asked of users who have one; required: enrolled at sign-in. */
export type MfaPolicy = (typeof MFA_POLICIES)[number];
export const CLAIMS_SUPPORTED = [
  'sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash', 'azp', 'acr', 'amr', 'idp',
  ...SCOPE_CLAIMS.profile, ...SCOPE_CLAIMS.email,
];

// Length limits on request parameters (characters); anything longer is refused, never truncated.
export const MAX_PARAM_CHARS = 2048;
export const MAX_STATE_CHARS = 1024;
export const MAX_NONCE_CHARS = 512;
export const MAX_REDIRECT_URI_CHARS = 2000;
// RFC 8707 resource indicators: the length of one, and how many one request may name (more than any client
// needs; bounds the work and the access token's size).
export const MAX_RESOURCE_CHARS = 2048;
export const MAX_RESOURCES_PER_REQUEST = 10;
export const MAX_BODY_BYTES = 16 * 1024;

// Email tokens (docs/security.md): a password reset link and an email verification link or code live 30 minutes.
export const EMAIL_TOKEN_TTL_SECONDS = 1800;
// Per throttle window: reset requests per account name and per address, verification codes tried per user.
export const RESET_REQUESTS_PER_ACCOUNT = 3;
export const RESET_REQUESTS_PER_IP = 20;
export const VERIFY_CODE_ATTEMPTS_PER_USER = 5;

// Sign-up (docs/security.md): an invite link lives 7 days; sign-up attempts per address per throttle window.
export const INVITE_TTL_SECONDS = 7 * 86_400;
export const SIGNUPS_PER_IP = 10;
