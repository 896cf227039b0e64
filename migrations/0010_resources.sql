-- Migration 0010: resource indicators (RFC 8707). Each client lists the resources (absolute URIs, no fragment)
-- it may ask access tokens for, beside its default `audience`; each refresh token family remembers the
-- resources its grant was given, so a refresh may narrow them but never widen them (RFC 8707 §2.2).
-- '[]' on a family from before this migration: its tokens keep the client's audience, as they did.
ALTER TABLE clients ADD COLUMN resources TEXT NOT NULL DEFAULT '[]';
ALTER TABLE refresh_tokens ADD COLUMN resources TEXT NOT NULL DEFAULT '[]';
