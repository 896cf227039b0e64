-- Migration 0001: the wave-1 schema, exactly as schema.sql created it. Idempotent (IF NOT EXISTS), so a database
-- first created from schema.sql takes it as a no-op and upgrades with the migrations after it.

CREATE TABLE IF NOT EXISTS users (
  id             TEXT PRIMARY KEY,                -- opaque, stable; the OIDC `sub`
  username       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  email          TEXT,
  email_verified INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1)),
  name           TEXT,
  password_hash  TEXT NOT NULL,                   -- $pbkdf2-sha256$i=...,p=...$salt$hash
  disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS clients (
  client_id                    TEXT PRIMARY KEY,
  secret_hash                  TEXT,              -- sha256$...; NULL for public clients
  name                         TEXT NOT NULL,
  token_endpoint_auth_method   TEXT NOT NULL
    CHECK (token_endpoint_auth_method IN ('client_secret_basic', 'client_secret_post', 'none')),
  grant_types                  TEXT NOT NULL,     -- JSON array of grant_type values
  scopes                       TEXT NOT NULL,     -- JSON array of scopes the client may request
  redirect_uris                TEXT NOT NULL,     -- JSON array, compared by exact string match
  post_logout_redirect_uris    TEXT NOT NULL DEFAULT '[]',
  id_token_signed_response_alg TEXT NOT NULL DEFAULT 'RS256' CHECK (id_token_signed_response_alg IN ('RS256', 'ES256')),
  audience                     TEXT,              -- access token `aud`; NULL means the issuer
  created_at                   INTEGER NOT NULL,
  updated_at                   INTEGER NOT NULL,
  CHECK ((token_endpoint_auth_method = 'none') = (secret_hash IS NULL))
);

-- Single use of authorization codes (RFC 6749 §4.1.2): the INSERT that wins the primary key redeems
-- the code; a later presentation finds the row and revokes what the first redemption issued.
CREATE TABLE IF NOT EXISTS code_redemptions (
  code_hash               TEXT PRIMARY KEY,
  client_id               TEXT NOT NULL,
  user_id                 TEXT NOT NULL,
  access_token_jti        TEXT NOT NULL,
  access_token_expires_at INTEGER NOT NULL,
  redeemed_at             INTEGER NOT NULL,
  replayed_at             INTEGER
);
CREATE INDEX IF NOT EXISTS code_redemptions_expiry ON code_redemptions (access_token_expires_at);

-- Refresh tokens (RFC 6749 §6, RFC 9700 §4.14): stored hashed, rotated on every use. A family is every
-- token descended from one authorization (the code's hash); reuse of a rotated token revokes the family.
CREATE TABLE IF NOT EXISTS refresh_tokens (
  token_hash              TEXT PRIMARY KEY,
  family_id               TEXT NOT NULL,
  client_id               TEXT NOT NULL,
  user_id                 TEXT NOT NULL,
  scope                   TEXT NOT NULL,
  session_id_hash         TEXT,
  auth_time               INTEGER NOT NULL,
  created_at              INTEGER NOT NULL,
  expires_at              INTEGER NOT NULL,      -- idle expiry, never past family_expires_at
  family_expires_at       INTEGER NOT NULL,      -- absolute expiry of the whole family
  access_token_jti        TEXT NOT NULL,         -- the access token issued with it, revoked with the family
  access_token_expires_at INTEGER NOT NULL,
  replaced_by             TEXT,                  -- hash of the token it was rotated into
  used_at                 INTEGER,
  revoked_at              INTEGER
);
CREATE INDEX IF NOT EXISTS refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX IF NOT EXISTS refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX IF NOT EXISTS refresh_tokens_client ON refresh_tokens (client_id);
CREATE INDEX IF NOT EXISTS refresh_tokens_session ON refresh_tokens (session_id_hash);
CREATE INDEX IF NOT EXISTS refresh_tokens_expiry ON refresh_tokens (family_expires_at);

-- Device authorization grant (RFC 8628): one row per device_code, looked up by its hash (polling)
-- or by the user code (verification page). Status moves pending -> approved|denied -> consumed once.
CREATE TABLE IF NOT EXISTS device_codes (
  device_code_hash TEXT PRIMARY KEY,
  user_code        TEXT NOT NULL UNIQUE,         -- normalised: 8 letters, no dash
  client_id        TEXT NOT NULL,
  scope            TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'consumed')),
  user_id          TEXT,
  auth_time        INTEGER,
  session_id_hash  TEXT,
  interval_seconds INTEGER NOT NULL,
  last_polled_at   INTEGER,
  consumed_jti     TEXT,                         -- the access token of the one successful poll
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS device_codes_expiry ON device_codes (expires_at);

-- SSO sessions. The browser holds a signed cookie naming the session; ending a session here makes
-- every code issued from it unredeemable.
CREATE TABLE IF NOT EXISTS sessions (
  id_hash    TEXT PRIMARY KEY,                    -- SHA-256 of the session id in the cookie
  user_id    TEXT NOT NULL,
  auth_time  INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  ended_at   INTEGER
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_at);

-- Access tokens are JWTs; a revoked one is remembered by jti until it would have expired anyway.
CREATE TABLE IF NOT EXISTS revoked_tokens (
  jti        TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS revoked_tokens_expiry ON revoked_tokens (expires_at);

-- Attempt counters for throttling (fixed windows). Keys are hashed (a mistyped username may be a password).
CREATE TABLE IF NOT EXISTS rate_limits (
  key          TEXT PRIMARY KEY,                 -- '<purpose>:<kind>:<SHA-256 of the subject>'
  window_start INTEGER NOT NULL,
  count        INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_limits_window ON rate_limits (window_start);

-- Security-relevant events. Never holds a password, secret or token.
CREATE TABLE IF NOT EXISTS audit_events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  time       INTEGER NOT NULL,
  type       TEXT NOT NULL,
  outcome    TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
  user_id    TEXT,
  client_id  TEXT,
  ip         TEXT,
  user_agent TEXT,
  request_id TEXT,
  detail     TEXT
);
CREATE INDEX IF NOT EXISTS audit_events_time ON audit_events (time);
CREATE INDEX IF NOT EXISTS audit_events_user ON audit_events (user_id, time);
CREATE INDEX IF NOT EXISTS audit_events_client ON audit_events (client_id, time);
CREATE INDEX IF NOT EXISTS audit_events_type ON audit_events (type, time);
