// The cron trigger (wrangler.toml [triggers]): prune expired rows and old audit events, and audit that.
import type { Bindings } from './env.ts';
import { loadServices } from './services.ts';
import { insertAuditEvent } from './store/audit.ts';
import { nowSeconds } from './clock.ts';
import { pruneExpired } from './store/retention.ts';

export async function scheduled(_controller: ScheduledController, env: Bindings): Promise<void> {
  const { config } = await loadServices(env);
  const now = nowSeconds();
  const pruned = await pruneExpired(env.DB, now, config.auditRetentionDays, config.registration.unusedClientDays);
  await insertAuditEvent(env.DB, {
    time: now, type: 'retention.prune', outcome: 'success', userId: null, clientId: null, ip: null, userAgent: null,
    requestId: null, detail: JSON.stringify(pruned),
  });
}
