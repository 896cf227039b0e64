// A users row and the user record the rest of the service reads from it.
import type { MfaFacts } from './mfa-facts.ts';

export interface User {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  passwordHash: string;
  disabled: boolean;
  /** Set by `user require-password-change`: the next sign-in asks for a new password (migration 0013). */
  passwordChangeRequired: boolean;
  createdAt: number;
  updatedAt: number;
  /** When all the user's sessions were last ended (disable, new password; migration 0005), or null. */
  sessionsEndedAt: number | null;
  /** The user's second factors, when read with the row (the password sign-in's one read: no round trip of their own). */
  mfa?: MfaFacts;
}

export interface UserRow {
  id: string;
  username: string;
  email: string | null;
  email_verified: number;
  name: string | null;
  password_hash: string;
  disabled: number;
  password_change_required: number;
  created_at: number;
  updated_at: number;
  sessions_ended_at: number | null;
}

/**
 * A passwordless account (passkeys only) stores '' as its password hash: the column stays NOT NULL, no hash
 * format matches it, and password sign-in checks a dummy hash instead, at the same cost (docs/decisions.md).
 */
export const NO_PASSWORD_HASH = '';

export function hasPassword(user: Pick<User, 'passwordHash'>): boolean {
  return user.passwordHash !== NO_PASSWORD_HASH;
}

/** What a new row is inserted with; USER_COLUMNS adds what later changes set. */
export const USER_INSERT_COLUMNS = 'id, username, email, email_verified, name, password_hash, disabled, password_change_required, created_at, updated_at';
export const USER_COLUMNS = `${USER_INSERT_COLUMNS}, sessions_ended_at`;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    emailVerified: row.email_verified === 1,
    name: row.name,
    passwordHash: row.password_hash,
    disabled: row.disabled === 1,
    passwordChangeRequired: row.password_change_required === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sessionsEndedAt: row.sessions_ended_at ?? null,
  };
}

/** The user a batch's `selectUserById` (or `selectUserWhereId`) statement read, or null. */
export function userOf(result: D1Result | undefined): User | null {
  const row = result?.results[0] as UserRow | undefined;
  return row ? toUser(row) : null;
}
