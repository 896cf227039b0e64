// A users row and the user record the rest of the service reads from it.
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
}

export const USER_COLUMNS = 'id, username, email, email_verified, name, password_hash, disabled, password_change_required, created_at, updated_at';

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
  };
}

/** The user a batch's `selectUserById` (or `selectUserWhereId`) statement read, or null. */
export function userOf(result: D1Result | undefined): User | null {
  const row = result?.results[0] as UserRow | undefined;
  return row ? toUser(row) : null;
}
