// Links from an upstream account, the pair (issuer, sub), to a local user: unique on the pair, never by email.
import type { D1Like } from './db.ts';

export interface UpstreamLink {
  issuer: string;
  subject: string;
  userId: string;
  provider: string;
  createdAt: number;
  lastUsedAt: number;
}

interface LinkRow { issuer: string; subject: string; user_id: string; provider: string; created_at: number; last_used_at: number }

const COLUMNS = 'issuer, subject, user_id, provider, created_at, last_used_at';
const toLink = (r: LinkRow): UpstreamLink => ({
  issuer: r.issuer, subject: r.subject, userId: r.user_id, provider: r.provider, createdAt: r.created_at, lastUsedAt: r.last_used_at,
});

export async function findLink(db: D1Like, issuer: string, subject: string): Promise<UpstreamLink | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM upstream_links WHERE issuer = ? AND subject = ?`).bind(issuer, subject).first<LinkRow>();
  return row ? toLink(row) : null;
}

export async function listUserLinks(db: D1Like, userId: string): Promise<UpstreamLink[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM upstream_links WHERE user_id = ? ORDER BY created_at`).bind(userId).all<LinkRow>();
  return results.map(toLink);
}

/**
 * Links the pair to the user: false when the pair is already linked (to anyone; a link never moves silently).
 * `tokens` is the encrypted upstream token set, only for providers configured to keep tokens.
 */
export async function insertLink(db: D1Like, link: UpstreamLink, tokens: string | null = null): Promise<boolean> {
  const result = await db.prepare(
    `INSERT INTO upstream_links (${COLUMNS}, tokens) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (issuer, subject) DO NOTHING`,
  ).bind(link.issuer, link.subject, link.userId, link.provider, link.createdAt, link.lastUsedAt, tokens).run();
  return (result.meta.changes ?? 0) > 0;
}

export function touchLinkStatement(db: D1Like, issuer: string, subject: string, now: number, tokens: string | null): D1PreparedStatement {
  return db.prepare('UPDATE upstream_links SET last_used_at = ?, tokens = COALESCE(?, tokens) WHERE issuer = ? AND subject = ?')
    .bind(now, tokens, issuer, subject);
}

/**
 * Unlinks, unless it is the user's last way to sign in: the delete holds only while the user has a password
 * or another link (one statement, so two concurrent unlinks cannot both pass the check).
 */
export async function deleteLinkUnlessLast(db: D1Like, userId: string, issuer: string, subject: string): Promise<boolean> {
  const result = await db.prepare(
    `DELETE FROM upstream_links WHERE user_id = ?1 AND issuer = ?2 AND subject = ?3 AND (
       EXISTS (SELECT 1 FROM users WHERE id = ?1 AND password_hash IS NOT NULL AND password_hash != '')
       OR EXISTS (SELECT 1 FROM passkeys WHERE user_id = ?1)
       OR (SELECT COUNT(*) FROM upstream_links WHERE user_id = ?1) > 1)`,
  ).bind(userId, issuer, subject).run();
  return (result.meta.changes ?? 0) > 0;
}

export function deleteUserLinksStatement(db: D1Like, userId: string): D1PreparedStatement {
  return db.prepare('DELETE FROM upstream_links WHERE user_id = ?').bind(userId);
}
