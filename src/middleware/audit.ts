// Records audit events off the response path (waitUntil); a failed write is logged, never silent.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { type AuditOutcome, insertAuditEvent } from '../store/audit.ts';
import { nowSeconds } from '../store/db.ts';

export interface AuditInput {
  type: string;
  outcome: AuditOutcome;
  userId?: string | null;
  clientId?: string | null;
  detail?: string | null;
}

export function recordAudit(c: Context<AppEnv>, input: AuditInput): void {
  const event = {
    time: nowSeconds(),
    type: input.type,
    outcome: input.outcome,
    userId: input.userId ?? null,
    clientId: input.clientId ?? null,
    ip: c.req.header('CF-Connecting-IP') ?? null,
    userAgent: c.req.header('User-Agent') ?? null,
    requestId: c.get('requestId') ?? null,
    detail: input.detail ?? null,
  };
  c.executionCtx.waitUntil(
    insertAuditEvent(c.env.DB, event).catch((err: unknown) => {
      // The event itself goes to the Workers log so it is not lost (observability keeps it).
      console.error(JSON.stringify({ msg: 'audit write failed', event, error: String(err) }));
    }),
  );
}
