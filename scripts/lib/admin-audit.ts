// Audit events for administrative changes, and the CLI's reading of audit time filters.
import { userInfo } from 'node:os';
import { insertAuditEvent } from '../../src/store/audit.ts';
import { nowSeconds } from '../../src/clock.ts';
import { type D1Like } from '../../src/store/db.ts';
import { CliError } from './cli-error.ts';

/** Who made a change: the tool and the operating-system account that ran it. */
export interface Actor {
  tool: 'admin-cli' | 'dev-script';
  operator: string;
}

export function currentActor(tool: Actor['tool']): Actor {
  let operator = 'unknown';
  try {
    operator = userInfo().username;
  } catch {
    // No passwd entry (some containers): the event still records the tool.
  }
  return { tool, operator };
}

export interface AuditTarget {
  userId?: string;
  clientId?: string;
}

/** Records a successful administrative change. `detail` must never hold a password, secret or hash. */
export async function recordAdminEvent(
  db: D1Like, actor: Actor, type: string, target: AuditTarget, detail: Record<string, unknown> = {},
): Promise<void> {
  await insertAuditEvent(db, {
    time: nowSeconds(),
    type,
    outcome: 'success',
    userId: target.userId ?? null,
    clientId: target.clientId ?? null,
    ip: null,
    userAgent: `edge-oidc ${actor.tool}`,
    requestId: null,
    detail: JSON.stringify({ operator: actor.operator, ...detail }),
  });
}

const DURATION_UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** A duration such as 30m, 24h or 7d, in seconds; null when the text is not one. */
export function parseDuration(value: string): number | null {
  const duration = /^(\d{1,9})([smhdw])$/.exec(value.trim());
  return duration ? Number(duration[1]) * DURATION_UNIT_SECONDS[duration[2]!]! : null;
}

/** `--since`: an ISO-8601 date or time, or a duration back from now such as 30m, 24h or 7d. Unix seconds. */
export function parseSince(value: string, now = nowSeconds()): number {
  const duration = parseDuration(value);
  if (duration !== null) return now - duration;
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    const ms = Date.parse(value.trim());
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  throw new CliError(`--since ${value}: use an ISO-8601 time (2025-01-31, 2025-01-31T12:00:00Z) or a duration like 30m, 24h, 7d`);
}
