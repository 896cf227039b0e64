// What a grant handler needs from its request: services, storage bindings, and audit/background hooks.
import type { AuditInput } from '../../middleware/audit.ts';
import type { Services } from '../../services.ts';

export interface GrantContext {
  services: Services;
  db: D1Database;
  kv: KVNamespace;
  events: { record(event: AuditInput): void };
  /** Work that must finish but need not delay the response (ctx.waitUntil). */
  afterResponse(promise: Promise<unknown>): void;
}
