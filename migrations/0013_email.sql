-- Migration 0013: accounts by email. One-time email tokens (password reset, email verification), the dev
-- outbox (mail kept locally under DEV_MODE instead of being sent), and the "must change password" flag
-- the admin CLI sets (user require-password-change) and the next sign-in acts on.
CREATE TABLE IF NOT EXISTS email_tokens (
  -- SHA-256 of the link token (base64url); the token itself is only ever in the email.
  token_hash    TEXT PRIMARY KEY,
  purpose       TEXT NOT NULL CHECK (purpose IN ('reset', 'verify')),
  user_id       TEXT NOT NULL,
  -- The address the mail went to: verification marks this address, and only while it is still the user's.
  email         TEXT NOT NULL,
  -- SHA-256 of the 6-digit code (verify only), bound to the token hash.
  code_hash     TEXT,
  -- The sign-in transaction (sealed, not secret) to resume after a reset, and the client's origin.
  tx            TEXT,
  return_origin TEXT,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS email_tokens_user ON email_tokens (user_id, purpose);
CREATE INDEX IF NOT EXISTS email_tokens_expires ON email_tokens (expires_at);

CREATE TABLE IF NOT EXISTS dev_outbox (
  id         TEXT PRIMARY KEY,
  recipient  TEXT NOT NULL,
  subject    TEXT NOT NULL,
  text_body  TEXT NOT NULL,
  html_body  TEXT NOT NULL,
  sent_at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS dev_outbox_sent ON dev_outbox (sent_at);

ALTER TABLE users ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0 CHECK (password_change_required IN (0, 1));
