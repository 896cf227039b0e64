// Initial access tokens for CLIENT_REGISTRATION=token (RFC 7591 §3): SHA-256 digests in D1, usable until they expire.
import type { D1Like } from './db.ts';

export async function insertRegistrationToken(db: D1Like, tokenHash: string, createdAt: number, expiresAt: number): Promise<void> {
  await db.prepare('INSERT INTO registration_tokens (token_hash, created_at, expires_at) VALUES (?, ?, ?)').bind(tokenHash, createdAt, expiresAt).run();
}

/** Read on the primary: a token minted a moment ago works at once. */
export async function isRegistrationTokenLive(db: D1Like, tokenHash: string, now: number): Promise<boolean> {
  const row = await db.prepare('SELECT 1 AS live FROM registration_tokens WHERE token_hash = ? AND expires_at > ?').bind(tokenHash, now).first();
  return row !== null;
}

export function pruneRegistrationTokensStatement(db: D1Like, now: number): D1PreparedStatement {
  return db.prepare('DELETE FROM registration_tokens WHERE expires_at <= ?').bind(now);
}
