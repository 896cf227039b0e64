// One-time email tokens in D1 (password reset, email verification): stored by SHA-256, consumed exactly once.
import type { D1Like } from './db.ts';

/** 'delete' and 'not_me' are the account page's (migration 0015): a deletion's confirmation, a notice's "this wasn't me". */
export type EmailTokenPurpose = 'reset' | 'verify' | 'delete' | 'not_me';

export interface EmailToken {
  tokenHash: string;
  purpose: EmailTokenPurpose;
  userId: string;
  email: string;
  codeHash: string | null;
  /** The sealed sign-in transaction to resume (reset only); not secret, checked again when opened. */
  tx: string | null;
  returnOrigin: string | null;
  createdAt: number;
  expiresAt: number;
}

interface EmailTokenRow {
  token_hash: string;
  purpose: EmailTokenPurpose;
  user_id: string;
  email: string;
  code_hash: string | null;
  tx: string | null;
  return_origin: string | null;
  created_at: number;
  expires_at: number;
}

const COLUMNS = 'token_hash, purpose, user_id, email, code_hash, tx, return_origin, created_at, expires_at';

function toToken(row: EmailTokenRow): EmailToken {
  return {
    tokenHash: row.token_hash, purpose: row.purpose, userId: row.user_id, email: row.email, codeHash: row.code_hash,
    tx: row.tx, returnOrigin: row.return_origin, createdAt: row.created_at, expiresAt: row.expires_at,
  };
}

/** Stores a new token and drops the user's older ones of the same purpose (one batch): only the newest mail works. */
export async function insertEmailToken(db: D1Like, t: EmailToken): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM email_tokens WHERE user_id = ? AND purpose = ?').bind(t.userId, t.purpose),
    db.prepare(`INSERT INTO email_tokens (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .bind(t.tokenHash, t.purpose, t.userId, t.email, t.codeHash, t.tx, t.returnOrigin, t.createdAt, t.expiresAt),
  ]);
}

/** Stores a token beside the user's others of its purpose: every security notice's link keeps working. */
export async function addEmailToken(db: D1Like, t: EmailToken): Promise<void> {
  await db.prepare(`INSERT INTO email_tokens (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .bind(t.tokenHash, t.purpose, t.userId, t.email, t.codeHash, t.tx, t.returnOrigin, t.createdAt, t.expiresAt).run();
}

/** The live token with this hash and purpose, without consuming it (to show the form it opens). */
export async function findEmailToken(db: D1Like, tokenHash: string, purpose: EmailTokenPurpose, now: number): Promise<EmailToken | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM email_tokens WHERE token_hash = ? AND purpose = ? AND expires_at > ?`)
    .bind(tokenHash, purpose, now)
    .first<EmailTokenRow>();
  return row ? toToken(row) : null;
}

/** The user's live token of this purpose (a code names the user, not the token). */
export async function findUserEmailToken(db: D1Like, userId: string, purpose: EmailTokenPurpose, now: number): Promise<EmailToken | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM email_tokens WHERE user_id = ? AND purpose = ? AND expires_at > ? ORDER BY created_at DESC LIMIT 1`)
    .bind(userId, purpose, now)
    .first<EmailTokenRow>();
  return row ? toToken(row) : null;
}

/**
 * Consumes the token: one conditional DELETE ... RETURNING on the primary, so of two racing uses exactly one
 * gets the row. Expired, unknown, already used or of another purpose: null.
 */
export async function consumeEmailToken(db: D1Like, tokenHash: string, purpose: EmailTokenPurpose, now: number): Promise<EmailToken | null> {
  const row = await db
    .prepare(`DELETE FROM email_tokens WHERE token_hash = ? AND purpose = ? AND expires_at > ? RETURNING ${COLUMNS}`)
    .bind(tokenHash, purpose, now)
    .first<EmailTokenRow>();
  return row ? toToken(row) : null;
}

/** For the retention job: tokens past their expiry. */
export function pruneEmailTokensStatement(db: D1Like, now: number): D1PreparedStatement {
  return db.prepare('DELETE FROM email_tokens WHERE expires_at <= ?').bind(now);
}
