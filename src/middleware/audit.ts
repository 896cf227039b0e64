// Records audit events off the response path (waitUntil); a failed write is logged, never silent.
// The events a request records while it is handled are written together, as one D1 batch, once its response
// is ready (a sign-in's /token records two: code.redeemed and token.issued). Events recorded later, from
// waitUntil work, are written on their own.
// The batch is registered with waitUntil as soon as the first event is recorded, not when the handler ends:
// the runtime cancels a request's work when its client disconnects unless a waitUntil is pending, and a
// guesser who drops the connection mid-request must not drop the audit event with it.
import type { Context, MiddlewareHandler } from 'hono';
import type { RequestIdVariables } from 'hono/request-id';
import type { Bindings } from '../bindings.ts';
import { nowSeconds } from '../clock.ts';
import { type AuditEvent, type AuditOutcome, insertAuditEvents } from '../store/audit.ts';

/** The audit events of the request being handled, and how to hand their write to the waitUntil awaiting it. */
export interface PendingAudit {
  events: AuditEvent[];
  settle: ((written: Promise<void>) => void) | null;
}

export interface AuditVariables {
  /** The audit events recorded while the request is handled; null once written. */
  auditEvents: PendingAudit | null;
}

type AuditBindings = Pick<Bindings, 'DB'>;
type AuditEnv = { Bindings: AuditBindings; Variables: AuditVariables & RequestIdVariables };

export interface AuditInput {
  type: string;
  outcome: AuditOutcome;
  userId?: string | null;
  clientId?: string | null;
  detail?: string | null;
}

function insert(db: D1Database, events: AuditEvent[]): Promise<void> {
  return insertAuditEvents(db, events).catch((err: unknown) => {
    // Each event goes to the Workers log so it is not lost (observability keeps it).
    for (const event of events) console.error(JSON.stringify({ msg: 'audit write failed', event, error: String(err) }));
  });
}

/** Collects the events of the request it wraps and writes them in one batch when the handler is done. */
export function auditBatch(): MiddlewareHandler<{ Bindings: AuditBindings; Variables: AuditVariables }> {
  return async (c, next) => {
    const pending: PendingAudit = { events: [], settle: null };
    c.set('auditEvents', pending);
    try {
      await next();
    } finally {
      c.set('auditEvents', null);
      pending.settle?.(insert(c.env.DB, pending.events));
    }
  };
}

/** Adds the event to the request's batch, or, outside auditBatch (waitUntil work), writes it on its own. */
export function recordAudit<E extends AuditEnv>(c: Context<E>, input: AuditInput): void {
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
  const pending: PendingAudit | null = c.get('auditEvents');
  if (!pending) {
    c.executionCtx.waitUntil(insert(c.env.DB, [event]));
    return;
  }
  if (!pending.settle) {
    c.executionCtx.waitUntil(new Promise<void>((resolve) => {
      pending.settle = (written) => { void written.then(resolve); };
    }));
  }
  pending.events.push(event);
}
