-- Migration 0006: usernames are unique by and looked up by a normalised key (RFC 8265 UsernameCaseMapped as
-- NFKC + lower case, src/policy/unicode.ts usernameKey), so look-alikes in another width, case or
-- compatibility form cannot be registered. SQLite cannot compute NFKC: rows whose username is all ASCII get
-- lower(username), which equals the key for ASCII; any other row keeps NULL until the admin CLI fills it in
-- (backfillUsernameKeys, run before every user creation) and is found meanwhile by its exact stored form.
ALTER TABLE users ADD COLUMN username_key TEXT;
UPDATE users SET username_key = lower(username) WHERE username NOT GLOB '*[^ -~]*';
CREATE UNIQUE INDEX IF NOT EXISTS users_username_key ON users (username_key);
