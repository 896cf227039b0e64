-- TOTP secrets (encrypted at rest under DATA_ENCRYPTION_KEY, bound to the user id) and recovery codes (keyed
-- digests, single use: used_at is set once by a conditional UPDATE). One TOTP secret per user.
CREATE TABLE totp_secrets (
  user_id TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE recovery_codes (
  user_id TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

-- When an administrator last reset the user's second factors (user mfa reset): a remember-device cookie issued
-- at or before it no longer skips the second factor.
ALTER TABLE users ADD COLUMN mfa_reset_at INTEGER;
