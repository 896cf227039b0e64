-- Sessions are recorded off the response path, so a session's row may never exist. Ending every session of a
-- user (disable, delete, a new password) therefore also records a time on the user: a session whose cookie says
-- it was authenticated at or before sessions_ended_at is ended, row or not (src/store/sessions.ts).
ALTER TABLE users ADD COLUMN sessions_ended_at INTEGER;
