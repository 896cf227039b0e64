-- Migration 0015: the account page. Each session records the device it was started from (the browser's
-- User-Agent, the address and Cloudflare's approximate place, written by the sign-in's off-path insert) for
-- the sessions list and new-device notices; email_tokens takes the account page's purposes ('delete': the
-- confirmation of an account deletion; 'not_me': a security notice's "this wasn't me" link).
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN ip TEXT;
ALTER TABLE sessions ADD COLUMN country TEXT;
ALTER TABLE sessions ADD COLUMN city TEXT;

-- SQLite cannot change a CHECK constraint in place: the table is rebuilt with the same columns and rows. The
-- purpose is checked as a short name here and as a closed set in code (src/store/email-tokens.ts), so a later
-- flow's purpose needs no rebuild.
CREATE TABLE email_tokens_0015 (
  token_hash    TEXT PRIMARY KEY,
  purpose       TEXT NOT NULL CHECK (length(purpose) BETWEEN 1 AND 32),
  user_id       TEXT NOT NULL,
  email         TEXT NOT NULL,
  code_hash     TEXT,
  tx            TEXT,
  return_origin TEXT,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL
);
INSERT INTO email_tokens_0015 SELECT token_hash, purpose, user_id, email, code_hash, tx, return_origin, created_at, expires_at FROM email_tokens;
DROP TABLE email_tokens;
ALTER TABLE email_tokens_0015 RENAME TO email_tokens;
CREATE INDEX IF NOT EXISTS email_tokens_user ON email_tokens (user_id, purpose);
CREATE INDEX IF NOT EXISTS email_tokens_expires ON email_tokens (expires_at);
