// Retention: one batch that deletes what has expired and audit events past the retention period.
import type { D1Like } from './db.ts';
import { pruneRateLimitsStatement } from './rate-limits.ts';

const DAY_SECONDS = 86_400;

export interface PruneResult {
  [table: string]: number;
}

export async function pruneExpired(db: D1Like, now: number, auditRetentionDays: number): Promise<PruneResult> {
  const statements: [string, D1PreparedStatement][] = [
    ['audit_events', db.prepare('DELETE FROM audit_events WHERE time < ?').bind(now - auditRetentionDays * DAY_SECONDS)],
    ['sessions', db.prepare('DELETE FROM sessions WHERE expires_at < ?').bind(now - DAY_SECONDS)],
    // A redemption row is kept while the access token it records could still be used.
    ['code_redemptions', db.prepare('DELETE FROM code_redemptions WHERE access_token_expires_at < ?').bind(now)],
    ['revoked_tokens', db.prepare('DELETE FROM revoked_tokens WHERE expires_at < ?').bind(now)],
    // Rotated tokens stay while their family lives, so reuse of an old one is still detected.
    ['refresh_tokens', db.prepare('DELETE FROM refresh_tokens WHERE family_expires_at < ?1 OR (revoked_at IS NOT NULL AND access_token_expires_at < ?1)').bind(now)],
    ['device_codes', db.prepare('DELETE FROM device_codes WHERE expires_at < ?').bind(now - DAY_SECONDS)],
    ['rate_limits', pruneRateLimitsStatement(db, now - DAY_SECONDS)],
  ];
  const results = await db.batch(statements.map(([, s]) => s));
  return Object.fromEntries(statements.map(([table], i) => [table, results[i]?.meta.changes ?? 0]));
}
