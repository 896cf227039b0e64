-- Migration 0014: sign-up invites (SIGNUP=invite). One row per invite, bound to the address it was mailed to;
-- the token itself is only ever in that mail (and printed by the admin CLI in dev).
CREATE TABLE IF NOT EXISTS invites (
  -- SHA-256 of the link token (base64url).
  token_hash  TEXT PRIMARY KEY,
  -- The invited address, as typed by the operator; matched without case.
  email       TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS invites_email ON invites (email COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS invites_expires ON invites (expires_at);
