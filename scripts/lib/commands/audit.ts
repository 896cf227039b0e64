// `audit`: recent audit events, filtered by user, client, type and time.
import { queryAuditEvents, type AuditFilter } from '../../../src/store/audit.ts';
import { findUserByIdOrUsername } from '../../../src/store/users.ts';
import { parseSince } from '../admin-audit.ts';
import { CliError } from '../cli-error.ts';
import { auditJson, auditTable, printJson, printLines } from '../output.ts';
import type { CommandContext } from './context.ts';

const MAX_LIMIT = 10_000;

export async function auditCommand(ctx: CommandContext): Promise<void> {
  const v = ctx.values;
  const filter: AuditFilter = {};
  if (v.client !== undefined) filter.clientId = v.client;
  if (v.type !== undefined) filter.type = v.type;
  if (v.since !== undefined) filter.since = parseSince(v.since);
  if (v.limit !== undefined) {
    const limit = Number(v.limit);
    if (!/^\d+$/.test(v.limit) || limit < 1 || limit > MAX_LIMIT) throw new CliError(`--limit must be a whole number from 1 to ${MAX_LIMIT}`);
    filter.limit = limit;
  }
  const db = await ctx.db();
  if (v.user !== undefined) {
    // A username is resolved to its id; an unknown reference is kept, since deleted users keep their events.
    filter.userId = (await findUserByIdOrUsername(db, v.user))?.id ?? v.user;
  }
  const events = await queryAuditEvents(db, filter);
  if (ctx.json) return printJson(events.map(auditJson));
  printLines(events.length ? auditTable(events) : ['No matching audit events.']);
}
