-- Migration 0003: first-party clients and recorded consent (issue 11 §4, OIDC Core §3.1.2.4 and §11).

-- An administrator's statement that the client belongs to this service: its users are not asked for consent.
-- New clients are third-party unless created with --first-party. Clients that exist when this runs were all
-- registered by an operator under wave 1, which never asked for consent without prompt=consent: they become
-- first-party, so upgrading does not put a consent page in front of every existing app's users. An operator
-- turns that off per client with `client update ID --third-party` (docs/decisions.md, "Consent").
ALTER TABLE clients ADD COLUMN first_party INTEGER NOT NULL DEFAULT 0 CHECK (first_party IN (0, 1));
UPDATE clients SET first_party = 1;

-- What each user allowed each client on the consent page: the union of the scopes granted there.
-- Read from a replica on /authorize and /login; written by POST /consent; deleted with the user or client.
CREATE TABLE IF NOT EXISTS consents (
  user_id    TEXT NOT NULL,
  client_id  TEXT NOT NULL,
  scopes     TEXT NOT NULL,                     -- JSON array of scope values
  granted_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, client_id)
);
CREATE INDEX IF NOT EXISTS consents_client ON consents (client_id);
