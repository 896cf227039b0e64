// Users in D1: the users table's statements (its username key in username-match.ts) and fragments for others'.
import { randomToken } from '../crypto/random.ts';
import { normalizeUsername, usernameKey } from '../policy/unicode.ts';
import { nowSeconds } from '../clock.ts';
import { type D1Like } from './db.ts';
import { type MfaFactsRow, mfaFactsSql, toMfaFacts } from './mfa-facts.ts';
import { USER_COLUMNS as COLUMNS, USER_INSERT_COLUMNS, toUser, type User, type UserRow } from './user-row.ts';
import { USERNAME_MATCH, usernameMatch } from './username-match.ts';

export type { User } from './user-row.ts';

/** The user whose id `idSql` gives (a placeholder or another table's subquery), for a batch. */
export function selectUserWhereId(db: D1Like, idSql: string, params: unknown[]): D1PreparedStatement {
  return db.prepare(`SELECT ${COLUMNS} FROM users WHERE id = ${idSql}`).bind(...params);
}

export function selectUserById(db: D1Like, id: string): D1PreparedStatement {
  return selectUserWhereId(db, '?', [id]);
}

/** Holds while the user exists and is not disabled; binds the user id. */
export const USER_ENABLED_SQL = 'EXISTS (SELECT 1 FROM users WHERE id = ? AND disabled = 0)';

/** One row when the user's sessions were ended at or after an auth_time; binds the user id, then the auth_time. */
export const USER_SESSIONS_ENDED_SINCE_SQL = 'SELECT 1 FROM users WHERE id = ? AND sessions_ended_at >= ?';

/** The user's row, if any, as `user_found` and `user_ended_at` (their sessions_ended_at); `idParam` names the id. */
export function userSessionsEndedSql(idParam: string): string {
  return `(SELECT 1 AS user_found, sessions_ended_at AS user_ended_at FROM users WHERE id = ${idParam})`;
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

/** The password sign-in's one read: the user the typed name finds, with their second factors (`user.mfa`). */
export async function findUserForSignIn(db: D1Like, username: string): Promise<User | null> {
  const row = await db.prepare(`SELECT ${COLUMNS}, ${mfaFactsSql('users.id')} ${USERNAME_MATCH}`).bind(...usernameMatch(username)).first<UserRow & MfaFactsRow>();
  return row ? { ...toUser(row), mfa: toMfaFacts(row) } : null;
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
      `INSERT INTO users (${USER_INSERT_COLUMNS}, username_key) VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)
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

export function setUserDisabledStatement(db: D1Like, id: string, disabled: boolean, now: number): D1PreparedStatement {
  return db.prepare('UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?').bind(disabled ? 1 : 0, now, id);
}

export function setPasswordHashStatement(db: D1Like, id: string, passwordHash: string, now: number): D1PreparedStatement {
  return db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').bind(passwordHash, now, id);
}

/**
 * The sign-in's rehash, only over the hash the sign-in verified: the sign-in read it from a replica, and an
 * administrator's new password (`replacePassword`, cascades.ts) stored since must not be overwritten by the old one's.
 */
export async function updatePasswordHash(db: D1Like, id: string, verifiedHash: string, passwordHash: string): Promise<boolean> {
  const result = await db
    .prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ? AND password_hash = ?')
    .bind(passwordHash, nowSeconds(), id, verifiedHash)
    .run();
  return result.meta.changes > 0;
}

export function deleteUserStatement(db: D1Like, id: string): D1PreparedStatement {
  return db.prepare('DELETE FROM users WHERE id = ?').bind(id);
}

/**
 * Moves the user's sessions_ended_at, which findSessionState compares with a cookie's auth_time, so sessions
 * never recorded end too. At or before, in whole seconds: a sign-in in the same second as the change must sign
 * in again, rather than a session from before it surviving.
 */
export function endUserSessionsAtStatement(db: D1Like, id: string, now: number): D1PreparedStatement {
  return db.prepare('UPDATE users SET sessions_ended_at = MAX(COALESCE(sessions_ended_at, 0), ?) WHERE id = ?').bind(now, id);
}

/** When the user's second factors were last reset by an administrator: remember-device cookies older than it are void. */
export function setMfaResetAtStatement(db: D1Like, id: string, now: number): D1PreparedStatement {
  return db.prepare('UPDATE users SET mfa_reset_at = ? WHERE id = ?').bind(now, id);
}
