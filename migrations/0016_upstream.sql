-- Migration 0016: sign in with upstream identity providers (issue 15). The providers the admin CLI configures
-- (client secrets encrypted under DATA_ENCRYPTION_KEY, bound to the provider name) and the links from an
-- upstream account, the stable pair (issuer, sub), to a local user: never an email address alone.
CREATE TABLE IF NOT EXISTS upstream_providers (
  name            TEXT PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('oidc', 'google', 'microsoft', 'github')),
  -- The discovery issuer (oidc, google, microsoft) or GitHub's web origin; microsoft's may be templated.
  issuer          TEXT NOT NULL,
  tenant          TEXT,
  client_id       TEXT NOT NULL,
  -- AES-256-GCM ciphertext (src/crypto/data-key.ts, purpose 'upstream-client-secret', subject the name).
  client_secret   TEXT NOT NULL,
  scopes          TEXT NOT NULL DEFAULT '[]',
  trust_email     INTEGER NOT NULL DEFAULT 0,
  allowed_domains TEXT NOT NULL DEFAULT '[]',
  enabled         INTEGER NOT NULL DEFAULT 1,
  keep_tokens     INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS upstream_links (
  -- The iss of the upstream's id_token (for Microsoft's common tenant: the tenant's own issuer), or for GitHub
  -- its web origin; with sub, the stable identity (OIDC Core §5.7).
  issuer        TEXT NOT NULL,
  subject       TEXT NOT NULL,
  user_id       TEXT NOT NULL,
  provider      TEXT NOT NULL,
  -- Upstream tokens, encrypted, only when the provider keeps them (keep_tokens).
  tokens        TEXT,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER NOT NULL,
  PRIMARY KEY (issuer, subject)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS upstream_links_user ON upstream_links (user_id);
