// The audit log in D1: security events without passwords, secrets or tokens.
import type { D1Like } from './db.ts';

export type AuditOutcome = 'success' | 'failure';

export interface AuditEvent {
  time: number;
  type: string;
  outcome: AuditOutcome;
  userId: string | null;
  clientId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  detail: string | null;
}

function insertStatement(db: D1Like, e: AuditEvent): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO audit_events (time, type, outcome, user_id, client_id, ip, user_agent, request_id, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(e.time, e.type, e.outcome, e.userId, e.clientId, e.ip, e.userAgent?.slice(0, 512) ?? null, e.requestId, e.detail);
}

export async function insertAuditEvent(db: D1Like, e: AuditEvent): Promise<void> {
  await insertStatement(db, e).run();
}

/** Several events in one round trip (one D1 batch, one transaction). */
export async function insertAuditEvents(db: D1Like, events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 1) await insertAuditEvent(db, events[0]!);
  else if (events.length > 1) await db.batch(events.map((e) => insertStatement(db, e)));
}

export function pruneAuditEventsStatement(db: D1Like, olderThan: number): D1PreparedStatement {
  return db.prepare('DELETE FROM audit_events WHERE time < ?').bind(olderThan);
}

export interface AuditFilter {
  userId?: string;
  clientId?: string;
  type?: string;
  since?: number;
  limit?: number;
}

export async function queryAuditEvents(db: D1Like, f: AuditFilter): Promise<AuditEvent[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (f.userId) { where.push('user_id = ?'); params.push(f.userId); }
  if (f.clientId) { where.push('client_id = ?'); params.push(f.clientId); }
  if (f.type) { where.push('type = ?'); params.push(f.type); }
  if (f.since !== undefined) { where.push('time >= ?'); params.push(f.since); }
  const sql =
    'SELECT time, type, outcome, user_id, client_id, ip, user_agent, request_id, detail FROM audit_events' +
    (where.length ? ` WHERE ${where.join(' AND ')}` : '') + ' ORDER BY time DESC, id DESC LIMIT ?';
  params.push(f.limit ?? 100);
  const { results } = await db.prepare(sql).bind(...params).all<Record<string, string | number | null>>();
  return results.map((r) => ({
    time: r.time as number,
    type: r.type as string,
    outcome: r.outcome as AuditOutcome,
    userId: r.user_id as string | null,
    clientId: r.client_id as string | null,
    ip: r.ip as string | null,
    userAgent: r.user_agent as string | null,
    requestId: r.request_id as string | null,
    detail: r.detail as string | null,
  }));
}
