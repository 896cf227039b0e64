-- Migration 0011: dynamic client registration (RFC 7591) and its management (RFC 7592); docs/decisions.md,
-- "Dynamic client registration".

-- Who registered the client: an administrator (the CLI; every client before this migration) or the client itself
-- through POST /register. Metadata-document clients ('cimd') are never stored.
ALTER TABLE clients ADD COLUMN registered_by TEXT NOT NULL DEFAULT 'admin' CHECK (registered_by IN ('admin', 'dcr'));
-- RFC 7592 §3: the registration access token's SHA-256 (sha256$...), only for registered_by = 'dcr'.
ALTER TABLE clients ADD COLUMN registration_token_hash TEXT;
-- The RFC 7591 §2 metadata kept only to be returned (client_uri, logo_uri, contacts, software_id, ...): a JSON object.
ALTER TABLE clients ADD COLUMN registration_metadata TEXT;
-- When the client first redeemed an authorization code (set by /token in its batch); NULL: never used. The daily
-- cron deletes 'dcr' clients still NULL REGISTRATION_UNUSED_CLIENT_DAYS after they were created.
ALTER TABLE clients ADD COLUMN first_used_at INTEGER;
CREATE INDEX IF NOT EXISTS clients_unused_registrations ON clients (registered_by, first_used_at, created_at);

-- Initial access tokens (RFC 7591 §3) for CLIENT_REGISTRATION=token: minted by
-- `npm run admin -- client registration-token create`, stored as SHA-256 only, usable until they expire.
CREATE TABLE IF NOT EXISTS registration_tokens (
  token_hash TEXT PRIMARY KEY,                  -- base64url SHA-256 of the token
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS registration_tokens_expiry ON registration_tokens (expires_at);
