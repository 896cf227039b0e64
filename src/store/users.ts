// Users in D1: the only code that knows the users table.
import { randomToken } from '../crypto/random.ts';
import { deleteUserConsentsStatement } from './consents.ts';
import { normalizeUsername, usernameKey } from '../policy/unicode.ts';
import { nowSeconds } from '../clock.ts';
import { type D1Like } from './db.ts';
import { USERNAME_MATCH, usernameMatch } from './username-match.ts';
import { revokeUserRefreshTokensStatements } from './refresh-tokens.ts';
import { endUserSessionsStatements } from './sessions.ts';

export interface User {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  passwordHash: string;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

interface UserRow {
  id: string;
  username: string;
  email: string | null;
  email_verified: number;
  name: string | null;
  password_hash: string;
  disabled: number;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, username, email, email_verified, name, password_hash, disabled, created_at, updated_at';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    emailVerified: row.email_verified === 1,
    name: row.name,
    passwordHash: row.password_hash,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function selectUserById(db: D1Like, id: string): D1PreparedStatement {
  return db.prepare(`SELECT ${COLUMNS} FROM users WHERE id = ?`).bind(id);
}

export async function findUserById(db: D1Like, id: string): Promise<User | null> {
  const row = await selectUserById(db, id).first<UserRow>();
  return row ? toUser(row) : null;
}

/**
 * Finds by the username's key (`usernameKey`, migration 0006), so any width, case or compatibility form finds
 * the user. A row stored before keys existed whose key could not be filled in yet (NULL) is found by its exact
 * stored form; if the typed form matches one row exactly and another by key, the exact match wins.
 */
export async function findUserByUsername(db: D1Like, username: string): Promise<User | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} ${USERNAME_MATCH}`).bind(...usernameMatch(username)).first<UserRow>();
  return row ? toUser(row) : null;
}

/**
 * Fills the key of rows stored before migration 0006 whose username is not ASCII (SQLite cannot compute NFKC).
 * A row whose key is already another row's stays NULL: that pair of look-alikes predates the key.
 */
export async function backfillUsernameKeys(db: D1Like): Promise<void> {
  const { results } = await db.prepare('SELECT id, username FROM users WHERE username_key IS NULL').all<{ id: string; username: string }>();
  for (const row of results) {
    await db
      .prepare('UPDATE users SET username_key = ?1 WHERE id = ?2 AND NOT EXISTS (SELECT 1 FROM users WHERE username_key = ?1)')
      .bind(usernameKey(row.username), row.id)
      .run();
  }
}

/** Finds by id or, failing that, by username: what the admin CLI accepts. */
export async function findUserByIdOrUsername(db: D1Like, ref: string): Promise<User | null> {
  return (await findUserById(db, ref)) ?? (await findUserByUsername(db, ref));
}

export interface NewUser {
  username: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  passwordHash: string;
}

export class UsernameTakenError extends Error {}

/** Stores the username's NFKC form; a username whose key or stored form is taken is refused. */
export async function insertUser(db: D1Like, input: NewUser): Promise<User> {
  const now = nowSeconds();
  const id = randomToken(16);
  const username = normalizeUsername(input.username);
  const row = await db
    .prepare(
      `INSERT INTO users (${COLUMNS}, username_key) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
       ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    )
    .bind(id, username, input.email, input.emailVerified ? 1 : 0, input.name, input.passwordHash, now, now, usernameKey(username))
    .first<UserRow>();
  if (!row) throw new UsernameTakenError(`username ${input.username} is already taken`);
  return toUser(row);
}

export async function listUsers(db: D1Like): Promise<User[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM users ORDER BY username`).all<UserRow>();
  return results.map(toUser);
}

/** Ends every session of the user (recorded or not) and revokes their refresh tokens. */
function signOutEverywhereStatements(db: D1Like, id: string, now: number): D1PreparedStatement[] {
  return [...endUserSessionsStatements(db, id, now), ...revokeUserRefreshTokensStatements(db, id, now)];
}

/** Disabling also ends the user's sessions and revokes their refresh tokens, in the same batch. */
export async function setUserDisabled(db: D1Like, id: string, disabled: boolean): Promise<boolean> {
  const now = nowSeconds();
  const [result] = await db.batch([
    db.prepare('UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?').bind(disabled ? 1 : 0, now, id),
    ...(disabled ? signOutEverywhereStatements(db, id, now) : []),
  ]);
  return (result?.meta.changes ?? 0) > 0;
}

/**
 * An administrator's new password ends the user's sessions and revokes their refresh tokens in the same batch
 * (OWASP ASVS 3.3.3): whoever knew the old one keeps nothing. updatePasswordHash is the sign-in's rehash.
 */
export async function replacePassword(db: D1Like, id: string, passwordHash: string): Promise<boolean> {
  const now = nowSeconds();
  const [result] = await db.batch([
    db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').bind(passwordHash, now, id),
    ...signOutEverywhereStatements(db, id, now),
  ]);
  return (result?.meta.changes ?? 0) > 0;
}

export async function updatePasswordHash(db: D1Like, id: string, passwordHash: string): Promise<boolean> {
  const result = await db
    .prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?')
    .bind(passwordHash, nowSeconds(), id)
    .run();
  return result.meta.changes > 0;
}

/** Deletes the user, ends their sessions and revokes their refresh tokens in one batch. */
export async function deleteUser(db: D1Like, id: string): Promise<boolean> {
  const now = nowSeconds();
  const [deleted] = await db.batch([
    db.prepare('DELETE FROM users WHERE id = ?').bind(id),
    deleteUserConsentsStatement(db, id),
    ...signOutEverywhereStatements(db, id, now),
  ]);
  return (deleted?.meta.changes ?? 0) > 0;
}
