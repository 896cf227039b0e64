// Device authorization codes (RFC 8628) in D1: created, decided on the verification page, consumed once.
import { clientUnchangedSql, clientUnchangedStatement, isUnchangedResult, type ClientCheck } from './client-check.ts';
import type { D1Like } from './db.ts';
import { DEVICE_CODE_COLUMNS as COLUMNS, toDeviceCode, type DeviceCode, type DeviceCodeRow } from './device-code-row.ts';
import { insertRefreshTokenStatement, type NewRefreshToken } from './refresh-tokens.ts';
import { userOf, type User } from './user-row.ts';
import { sessionEndedStatement } from './sessions.ts';
import { selectUserById } from './users.ts';

export type { DeviceCode, DeviceStatus } from './device-code-row.ts';

export interface NewDeviceCode {
  deviceCodeHash: string;
  userCode: string;
  clientId: string;
  scope: string;
  intervalSeconds: number;
  createdAt: number;
  expiresAt: number;
}

/** Returns false when the user code collides with a live one (the caller draws another). */
export async function insertDeviceCode(db: D1Like, d: NewDeviceCode): Promise<boolean> {
  const [, inserted] = await db.batch([
    db.prepare('DELETE FROM device_codes WHERE user_code = ? AND expires_at <= ?').bind(d.userCode, d.createdAt),
    db
      .prepare(
        `INSERT INTO device_codes (device_code_hash, user_code, client_id, scope, interval_seconds, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING device_code_hash`,
      )
      .bind(d.deviceCodeHash, d.userCode, d.clientId, d.scope, d.intervalSeconds, d.createdAt, d.expiresAt),
  ]);
  return (inserted?.results.length ?? 0) > 0;
}

export async function findPendingDeviceCode(db: D1Like, userCode: string, now: number): Promise<DeviceCode | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM device_codes WHERE user_code = ? AND status = 'pending' AND expires_at > ?`)
    .bind(userCode, now)
    .first<DeviceCodeRow>();
  return row ? toDeviceCode(row) : null;
}

export interface DeviceDecision {
  userCode: string;
  approved: boolean;
  userId: string;
  authTime: number;
  sessionIdHash: string;
  amr: string[];
  now: number;
}

/** Records the user's decision, only while the code is pending and live. */
export async function decideDeviceCode(db: D1Like, d: DeviceDecision): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE device_codes SET status = ?, user_id = ?, auth_time = ?, session_id_hash = ?, amr = ?
       WHERE user_code = ? AND status = 'pending' AND expires_at > ?`,
    )
    .bind(d.approved ? 'approved' : 'denied', d.userId, d.authTime, d.sessionIdHash, JSON.stringify(d.amr), d.userCode, d.now)
    .run();
  return result.meta.changes > 0;
}

/**
 * One poll, in one batch: the code as it was, a slow_down penalty (RFC 8628 §3.5: +5 s) when polled
 * sooner than its interval, the new poll time, and whether the client's secret is still the one it
 * authenticated with (its record may be cached).
 */
export async function pollDeviceCode(
  db: D1Like,
  deviceCodeHash: string,
  client: ClientCheck,
  now: number,
): Promise<{ device: DeviceCode | null; clientUnchanged: boolean }> {
  const { clientId } = client;
  const [before, , , unchanged] = await db.batch([
    db.prepare(`SELECT ${COLUMNS} FROM device_codes WHERE device_code_hash = ? AND client_id = ?`).bind(deviceCodeHash, clientId),
    db
      .prepare(
        `UPDATE device_codes SET interval_seconds = interval_seconds + 5
         WHERE device_code_hash = ? AND client_id = ? AND last_polled_at IS NOT NULL AND ? - last_polled_at < interval_seconds`,
      )
      .bind(deviceCodeHash, clientId, now),
    db.prepare('UPDATE device_codes SET last_polled_at = ? WHERE device_code_hash = ? AND client_id = ?').bind(now, deviceCodeHash, clientId),
    clientUnchangedStatement(db, client),
  ]);
  const row = before?.results[0] as DeviceCodeRow | undefined;
  return { device: row ? toDeviceCode(row) : null, clientUnchanged: isUnchangedResult(unchanged) };
}

/**
 * Consumes an approved code exactly once (with its refresh token, if any) and reads its user; not while
 * the client's secret differs from the one it authenticated with.
 */
/** Who approved a device code, and in which session (`sessionIdHash` is null for rows approved before it was kept). */
export interface DeviceApproval {
  userId: string;
  sessionIdHash: string | null;
  authTime: number;
}

export async function consumeDeviceCode(
  db: D1Like,
  deviceCodeHash: string,
  now: number,
  accessTokenJti: string,
  refreshToken: NewRefreshToken | null,
  approval: DeviceApproval,
  client: ClientCheck,
): Promise<{ consumed: boolean; user: User | null; sessionEnded: boolean }> {
  const statements = [
    db
      .prepare(
        `UPDATE device_codes SET status = 'consumed', consumed_jti = ?
         WHERE device_code_hash = ? AND status = 'approved' AND ${clientUnchangedSql()} RETURNING device_code_hash`,
      )
      .bind(accessTokenJti, deviceCodeHash, client.clientId, client.secretHash),
    ...(refreshToken
      ? [insertRefreshTokenStatement(db, refreshToken, 'EXISTS (SELECT 1 FROM device_codes WHERE device_code_hash = ? AND consumed_jti = ?)', [deviceCodeHash, accessTokenJti])]
      : []),
    selectUserById(db, approval.userId),
    // As for codes: a logout of the approving session, or a disable or new password since, ends the grant.
    sessionEndedStatement(db, { idHash: approval.sessionIdHash, userId: approval.userId, authTime: approval.authTime }, now),
  ];
  const results = await db.batch(statements);
  return {
    consumed: (results[0]?.results.length ?? 0) > 0,
    user: userOf(results.at(-2)),
    sessionEnded: (results.at(-1)?.results.length ?? 0) > 0,
  };
}

export function pruneDeviceCodesStatement(db: D1Like, olderThan: number): D1PreparedStatement {
  return db.prepare('DELETE FROM device_codes WHERE expires_at < ?').bind(olderThan);
}
