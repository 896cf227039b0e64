// The dev outbox in D1 (DEV_MODE only): mail kept locally instead of sent, for /dev/mail and `mail list`.
import type { D1Like } from './db.ts';

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  sentAt: number;
}

interface OutboxRow {
  id: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  sent_at: number;
}

// The outbox keeps the newest messages only: a dev database should not grow without end.
const OUTBOX_MAX_ROWS = 500;

export async function insertOutboxMessage(db: D1Like, m: OutboxMessage): Promise<void> {
  await db.batch([
    db.prepare('INSERT INTO dev_outbox (id, recipient, subject, text_body, html_body, sent_at) VALUES (?, ?, ?, ?, ?, ?)')
      .bind(m.id, m.to, m.subject, m.text, m.html, m.sentAt),
    db.prepare('DELETE FROM dev_outbox WHERE id NOT IN (SELECT id FROM dev_outbox ORDER BY sent_at DESC, rowid DESC LIMIT ?)').bind(OUTBOX_MAX_ROWS),
  ]);
}

/** Newest first; with `to`, only mail to that address (compared without case). */
export async function listOutboxMessages(db: D1Like, to?: string, limit = 100): Promise<OutboxMessage[]> {
  const where = to === undefined ? '' : 'WHERE recipient = ? COLLATE NOCASE';
  const { results } = await db
    .prepare(`SELECT id, recipient, subject, text_body, html_body, sent_at FROM dev_outbox ${where} ORDER BY sent_at DESC, rowid DESC LIMIT ?`)
    .bind(...(to === undefined ? [] : [to]), limit)
    .all<OutboxRow>();
  return results.map((r) => ({ id: r.id, to: r.recipient, subject: r.subject, text: r.text_body, html: r.html_body, sentAt: r.sent_at }));
}
