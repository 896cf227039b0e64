// Hono's Env for this app: the Worker's bindings and the per-request variables. Types only.
import type { Bindings } from './bindings.ts';
import type { AuditEvent } from './store/audit.ts';
import type { Services } from './services.ts';

export type { Bindings };

/** The audit events of the request being handled, and how to hand their write to the waitUntil awaiting it. */
export interface PendingAudit {
  events: AuditEvent[];
  settle: ((written: Promise<void>) => void) | null;
}

export interface Variables {
  services: Services;
  requestId: string;
  /** The audit events recorded while the request is handled (src/middleware/audit.ts); null once written. */
  auditEvents: PendingAudit | null;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
