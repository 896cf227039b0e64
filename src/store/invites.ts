// Sign-up invites in D1: stored by SHA-256 and bound to an address, consumed exactly once.
import type { D1Like } from './db.ts';

export interface Invite {
  tokenHash: string;
  email: string;
  createdAt: number;
  expiresAt: number;
}

interface InviteRow {
  token_hash: string;
  email: string;
  created_at: number;
  expires_at: number;
}

const COLUMNS = 'token_hash, email, created_at, expires_at';
const toInvite = (row: InviteRow): Invite => ({ tokenHash: row.token_hash, email: row.email, createdAt: row.created_at, expiresAt: row.expires_at });

/** Stores a new invite and drops older ones to the same address (one batch): only the newest mail works. */
export async function insertInvite(db: D1Like, invite: Invite): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM invites WHERE email = ? COLLATE NOCASE').bind(invite.email),
    db.prepare(`INSERT INTO invites (${COLUMNS}) VALUES (?, ?, ?, ?)`).bind(invite.tokenHash, invite.email, invite.createdAt, invite.expiresAt),
  ]);
}

/** The live invite with this hash, without consuming it (to show the sign-up form it opens). */
export async function findInvite(db: D1Like, tokenHash: string, now: number): Promise<Invite | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM invites WHERE token_hash = ? AND expires_at > ?`).bind(tokenHash, now).first<InviteRow>();
  return row ? toInvite(row) : null;
}

/**
 * Consumes the invite: one conditional DELETE ... RETURNING on the primary, so of two racing sign-ups exactly one
 * gets the row. Unknown, expired or already used: null.
 */
export async function consumeInvite(db: D1Like, tokenHash: string, now: number): Promise<Invite | null> {
  const row = await db
    .prepare(`DELETE FROM invites WHERE token_hash = ? AND expires_at > ? RETURNING ${COLUMNS}`)
    .bind(tokenHash, now)
    .first<InviteRow>();
  return row ? toInvite(row) : null;
}

/** The live invite for an address (for flows that proved the address another way, such as a verified upstream email). */
export async function findInviteForEmail(db: D1Like, email: string, now: number): Promise<Invite | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM invites WHERE email = ? COLLATE NOCASE AND expires_at > ? ORDER BY created_at DESC LIMIT 1`)
    .bind(email, now)
    .first<InviteRow>();
  return row ? toInvite(row) : null;
}

/** Consumes the live invite for an address, once; null when there is none (or another use took it first). */
export async function consumeInviteForEmail(db: D1Like, email: string, now: number): Promise<Invite | null> {
  const row = await db
    .prepare(`DELETE FROM invites WHERE token_hash = (SELECT token_hash FROM invites WHERE email = ? COLLATE NOCASE AND expires_at > ? ORDER BY created_at DESC LIMIT 1) RETURNING ${COLUMNS}`)
    .bind(email, now)
    .first<InviteRow>();
  return row ? toInvite(row) : null;
}

/** For the retention job: invites past their expiry. */
export function pruneInvitesStatement(db: D1Like, now: number): D1PreparedStatement {
  return db.prepare('DELETE FROM invites WHERE expires_at <= ?').bind(now);
}
