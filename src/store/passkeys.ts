// Passkeys in D1 (migration 0007): a user's WebAuthn credentials, their COSE keys, counters and nicknames.
import { fromBase64url, toBase64url } from '../crypto/encoding.ts';
import { type D1Like, parseJsonArray } from './db.ts';
import { USER_COLUMNS, toUser, type User, type UserRow } from './user-row.ts';

export interface Passkey {
  credentialId: string;
  userId: string;
  /** The COSE_Key bytes (RFC 9052 §7) registered with the credential: the only key an assertion is checked with. */
  publicKey: Uint8Array;
  algorithm: number;
  signCount: number;
  transports: string[];
  aaguid: string;
  backupEligible: boolean;
  backedUp: boolean;
  nickname: string;
  createdAt: number;
  lastUsedAt: number | null;
}

interface PasskeyRow {
  pk_credential_id: string;
  pk_user_id: string;
  pk_public_key: string;
  pk_algorithm: number;
  pk_sign_count: number;
  pk_transports: string;
  pk_aaguid: string;
  pk_backup_eligible: number;
  pk_backed_up: number;
  pk_nickname: string;
  pk_created_at: number;
  pk_last_used_at: number | null;
}

const NAMES = ['credential_id', 'user_id', 'public_key', 'algorithm', 'sign_count', 'transports', 'aaguid', 'backup_eligible', 'backed_up', 'nickname', 'created_at', 'last_used_at'];
// Prefixed, so that a join with users (whose column names overlap) reads both from one row.
const COLUMNS = NAMES.map((n) => `p.${n} AS pk_${n}`).join(', ');
const USER_JOIN_COLUMNS = USER_COLUMNS.split(', ').map((n) => `u.${n}`).join(', ');
/** Nicknames are the user's own labels; longer ones are cut. */
export const PASSKEY_NICKNAME_MAX_CHARS = 64;

function toPasskey(row: PasskeyRow): Passkey {
  return {
    credentialId: row.pk_credential_id, userId: row.pk_user_id, publicKey: fromBase64url(row.pk_public_key), algorithm: row.pk_algorithm,
    signCount: row.pk_sign_count, transports: parseJsonArray(row.pk_transports), aaguid: row.pk_aaguid, backupEligible: row.pk_backup_eligible === 1,
    backedUp: row.pk_backed_up === 1, nickname: row.pk_nickname, createdAt: row.pk_created_at, lastUsedAt: row.pk_last_used_at,
  };
}

/** The credential and its user in one read (a sign-in reads it from a replica: no primary on its path). */
export async function findPasskeyWithUser(db: D1Like, credentialId: string): Promise<{ passkey: Passkey; user: User } | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS}, ${USER_JOIN_COLUMNS} FROM passkeys p JOIN users u ON u.id = p.user_id WHERE p.credential_id = ?`)
    .bind(credentialId)
    .first<PasskeyRow & UserRow>();
  return row ? { passkey: toPasskey(row), user: toUser(row) } : null;
}

/** The user's passkeys, oldest first. */
export async function listUserPasskeys(db: D1Like, userId: string): Promise<Passkey[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM passkeys p WHERE p.user_id = ? ORDER BY p.created_at, p.credential_id`).bind(userId).all<PasskeyRow>();
  return results.map(toPasskey);
}

export type NewPasskey = Omit<Passkey, 'lastUsedAt'>;

/** False when the credential id is registered already (to this user or another): ids are the table's key. */
export async function insertPasskey(db: D1Like, p: NewPasskey): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO passkeys (${NAMES.join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT DO NOTHING`,
    )
    .bind(
      p.credentialId, p.userId, toBase64url(p.publicKey), p.algorithm, p.signCount, JSON.stringify(p.transports), p.aaguid,
      p.backupEligible ? 1 : 0, p.backedUp ? 1 : 0, p.nickname.slice(0, PASSKEY_NICKNAME_MAX_CHARS), p.createdAt,
    )
    .run();
  return result.meta.changes > 0;
}

/**
 * After a sign-in, off its response path: the counter only moves forward (two sign-ins racing leave the higher),
 * and the backup state is what the authenticator said last.
 */
export async function recordPasskeyUse(db: D1Like, credentialId: string, signCount: number, backedUp: boolean, now: number): Promise<void> {
  await db
    .prepare('UPDATE passkeys SET sign_count = MAX(sign_count, ?), backed_up = ?, last_used_at = ? WHERE credential_id = ?')
    .bind(signCount, backedUp ? 1 : 0, now, credentialId)
    .run();
}

/** Only the owner's: false when the id is not one of this user's passkeys. */
export async function renamePasskey(db: D1Like, userId: string, credentialId: string, nickname: string): Promise<boolean> {
  const result = await db
    .prepare('UPDATE passkeys SET nickname = ? WHERE user_id = ? AND credential_id = ?')
    .bind(nickname.slice(0, PASSKEY_NICKNAME_MAX_CHARS), userId, credentialId)
    .run();
  return result.meta.changes > 0;
}

export async function deletePasskey(db: D1Like, userId: string, credentialId: string): Promise<boolean> {
  const result = await deleteUserPasskeysStatement(db, userId, credentialId).run();
  return result.meta.changes > 0;
}

/** The user's passkeys (one of them with `credentialId`), for a batch such as deleting the user. */
export function deleteUserPasskeysStatement(db: D1Like, userId: string, credentialId?: string): D1PreparedStatement {
  return credentialId === undefined
    ? db.prepare('DELETE FROM passkeys WHERE user_id = ?').bind(userId)
    : db.prepare('DELETE FROM passkeys WHERE user_id = ? AND credential_id = ?').bind(userId, credentialId);
}
