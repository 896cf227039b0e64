// Retention: one batch that deletes what has expired and audit events past the retention period.
import { pruneAuditEventsStatement } from './audit.ts';
import { pruneCodeRedemptionsStatement } from './codes.ts';
import { deleteConsentsOfClientsStatement } from './consents.ts';
import type { D1Like } from './db.ts';
import { pruneDeviceCodesStatement } from './device-codes.ts';
import { pruneEmailTokensStatement } from './email-tokens.ts';
import { pruneInvitesStatement } from './invites.ts';
import { pruneRateLimitsStatement } from './rate-limits.ts';
import { pruneRefreshTokensStatement } from './refresh-tokens.ts';
import { pruneRegistrationTokensStatement } from './registration-tokens.ts';
import { pruneUnusedRegistrationsStatement, UNUSED_REGISTRATIONS_SQL } from './registrations.ts';
import { pruneSessionsStatement } from './sessions.ts';
import { pruneRevokedTokensStatement } from './tokens.ts';

const DAY_SECONDS = 86_400;

export interface PruneResult {
  [table: string]: number;
}

/**
 * `unusedClientDays`: self-registered clients that never redeemed a code are deleted that long after registering,
 * with any consent given to them (they hold no tokens: a refresh token needs a redeemed code).
 */
export async function pruneExpired(db: D1Like, now: number, auditRetentionDays: number, unusedClientDays: number): Promise<PruneResult> {
  const registeredBefore = now - unusedClientDays * DAY_SECONDS;
  const statements: [string, D1PreparedStatement][] = [
    ['audit_events', pruneAuditEventsStatement(db, now - auditRetentionDays * DAY_SECONDS)],
    ['sessions', pruneSessionsStatement(db, now - DAY_SECONDS)],
    ['code_redemptions', pruneCodeRedemptionsStatement(db, now)],
    ['revoked_tokens', pruneRevokedTokensStatement(db, now)],
    ['refresh_tokens', pruneRefreshTokensStatement(db, now)],
    ['device_codes', pruneDeviceCodesStatement(db, now - DAY_SECONDS)],
    ['rate_limits', pruneRateLimitsStatement(db, now - DAY_SECONDS)],
    ['email_tokens', pruneEmailTokensStatement(db, now)],
    ['registration_tokens', pruneRegistrationTokensStatement(db, now)],
    ['consents', deleteConsentsOfClientsStatement(db, UNUSED_REGISTRATIONS_SQL, [registeredBefore])],
    ['clients', pruneUnusedRegistrationsStatement(db, registeredBefore)],
    ['invites', pruneInvitesStatement(db, now)],
  ];
  const results = await db.batch(statements.map(([, s]) => s));
  return Object.fromEntries(statements.map(([table], i) => [table, results[i]?.meta.changes ?? 0]));
}
