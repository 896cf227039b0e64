// Hono's Env for this app: the Worker's bindings and the per-request variables. Types only.
import type { RequestIdVariables } from 'hono/request-id';
import type { AccountVariables } from './account/session.ts';
import type { Bindings } from './bindings.ts';
import type { AuditVariables } from './middleware/audit.ts';
import type { LanguageVariables } from './middleware/language.ts';
import type { ServicesVariables } from './middleware/services.ts';

export type { Bindings };

/** What each middleware puts on the context, as each declares it (the Hono way). */
export type Variables = RequestIdVariables & ServicesVariables & AuditVariables & AccountVariables & LanguageVariables;

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
