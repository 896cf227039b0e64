-- Authentication context (RFC 8176 amr, OIDC Core acr) kept by what outlives the sign-in, so that id_tokens
-- issued later by refresh or by the device grant state how the user authenticated (docs/security.md).
-- Every sign-in before this migration was a password sign-in, hence the default.
ALTER TABLE refresh_tokens ADD COLUMN amr TEXT NOT NULL DEFAULT '["pwd"]';  -- JSON array of RFC 8176 values
ALTER TABLE refresh_tokens ADD COLUMN acr TEXT;                               -- level stated in id_tokens; NULL: the client did not ask for acr
ALTER TABLE device_codes ADD COLUMN amr TEXT NOT NULL DEFAULT '["pwd"]';    -- set from the approving session
