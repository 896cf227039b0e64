// Records audit events off the response path (waitUntil); a failed write is logged, never silent.
// The events a request records while it is handled are written together, as one D1 batch, once its response
// is ready (a sign-in's /token records two: code.redeemed and token.issued). Events recorded later, from
// waitUntil work, are written on their own.
// The batch is registered with waitUntil as soon as the first event is recorded, not when the handler ends:
// the runtime cancels a request's work when its client disconnects unless a waitUntil is pending, and a
// guesser who drops the connection mid-request must not drop the audit event with it.
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, PendingAudit } from '../env.ts';
import { type AuditEvent, type AuditOutcome, insertAuditEvents } from '../store/audit.ts';
import { nowSeconds } from '../clock.ts';

export interface AuditInput {
  type: string;
  outcome: AuditOutcome;
  userId?: string | null;
  clientId?: string | null;
  detail?: string | null;
}

function insert(c: Context<AppEnv>, events: AuditEvent[]): Promise<void> {
  return insertAuditEvents(c.env.DB, events).catch((err: unknown) => {
    // Each event goes to the Workers log so it is not lost (observability keeps it).
    for (const event of events) console.error(JSON.stringify({ msg: 'audit write failed', event, error: String(err) }));
  });
}

/** Collects the events of the request it wraps and writes them in one batch when the handler is done. */
export const auditBatch: MiddlewareHandler<AppEnv> = async (c, next) => {
  const pending: PendingAudit = { events: [], settle: null };
  c.set('auditEvents', pending);
  try {
    await next();
  } finally {
    c.set('auditEvents', null);
    pending.settle?.(insert(c, pending.events));
  }
};

export function recordAudit(c: Context<AppEnv>, input: AuditInput): void {
  const event: AuditEvent = {
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
  const pending = c.get('auditEvents');
  if (!pending) {
    c.executionCtx.waitUntil(insert(c, [event]));
    return;
  }
  if (!pending.settle) {
    c.executionCtx.waitUntil(new Promise<void>((resolve) => {
      pending.settle = (written) => { void written.then(resolve); };
    }));
  }
  pending.events.push(event);
}
