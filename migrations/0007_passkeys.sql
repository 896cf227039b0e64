-- Migration 0007: passkeys (WebAuthn Level 3 credentials, issue 13). A user may have several, and a user may
-- have passkeys and no password (users.password_hash '' : docs/decisions.md, "Passwordless accounts").
-- credential_id and public_key are base64url (the raw credential id; the COSE_Key bytes, RFC 9052 §7).
-- sign_count and last_used_at are moved after a sign-in, off its response path (docs/storage.md).
CREATE TABLE IF NOT EXISTS passkeys (
  credential_id   TEXT PRIMARY KEY,
  user_id         TEXT NOT NULL,
  public_key      TEXT NOT NULL,
  algorithm       INTEGER NOT NULL,                -- COSE: -7 ES256, -8 EdDSA, -257 RS256
  sign_count      INTEGER NOT NULL DEFAULT 0,
  transports      TEXT NOT NULL DEFAULT '[]',      -- JSON array of AuthenticatorTransport strings
  aaguid          TEXT NOT NULL,                   -- 32 hex digits; zeros when the authenticator does not say
  backup_eligible INTEGER NOT NULL DEFAULT 0,
  backed_up       INTEGER NOT NULL DEFAULT 0,
  nickname        TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  last_used_at    INTEGER
);
CREATE INDEX IF NOT EXISTS passkeys_user ON passkeys (user_id);
