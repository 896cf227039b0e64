-- A client's own second-factor policy (docs/authentication.md): 'off', 'optional' or 'required';
-- NULL follows the deployment's MFA_POLICY. Every client before this migration follows it.
ALTER TABLE clients ADD COLUMN mfa_policy TEXT CHECK (mfa_policy IN ('off', 'optional', 'required'));
