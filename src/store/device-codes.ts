// Device authorization codes (RFC 8628) in D1: created, decided on the verification page, consumed once.
import { clientUnchangedSql, clientUnchangedStatement, isUnchangedResult, type ClientCheck } from './client-check.ts';
import type { D1Like } from './db.ts';
import { insertRefreshTokenStatement, type NewRefreshToken } from './refresh-tokens.ts';
import { selectUserById, toUser, type User } from './users.ts';

export type DeviceStatus = 'pending' | 'approved' | 'denied' | 'consumed';

export interface DeviceCode {
  deviceCodeHash: string;
  userCode: string;
  clientId: string;
  scope: string;
  status: DeviceStatus;
  userId: string | null;
  authTime: number | null;
  sessionIdHash: string | null;
  /** RFC 8176 methods of the approving session's sign-in. */
  amr: string[];
  intervalSeconds: number;
  lastPolledAt: number | null;
  expiresAt: number;
}

interface Row {
  device_code_hash: string;
  user_code: string;
  client_id: string;
  scope: string;
  status: DeviceStatus;
  user_id: string | null;
  auth_time: number | null;
  session_id_hash: string | null;
  amr: string;
  interval_seconds: number;
  last_polled_at: number | null;
  expires_at: number;
}

const COLUMNS = 'device_code_hash, user_code, client_id, scope, status, user_id, auth_time, session_id_hash, amr, interval_seconds, last_polled_at, expires_at';

function toDeviceCode(r: Row): DeviceCode {
  return {
    deviceCodeHash: r.device_code_hash, userCode: r.user_code, clientId: r.client_id, scope: r.scope, status: r.status,
    userId: r.user_id, authTime: r.auth_time, sessionIdHash: r.session_id_hash, amr: JSON.parse(r.amr) as string[], intervalSeconds: r.interval_seconds,
    lastPolledAt: r.last_polled_at, expiresAt: r.expires_at,
  };
}

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
    .first<Row>();
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
  const row = before?.results[0] as Row | undefined;
  return { device: row ? toDeviceCode(row) : null, clientUnchanged: isUnchangedResult(unchanged) };
}

/**
 * Consumes an approved code exactly once (with its refresh token, if any) and reads its user; not while
 * the client's secret differs from the one it authenticated with.
 */
export async function consumeDeviceCode(
  db: D1Like,
  deviceCodeHash: string,
  accessTokenJti: string,
  refreshToken: NewRefreshToken | null,
  userId: string,
  client: ClientCheck,
): Promise<{ consumed: boolean; user: User | null }> {
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
    selectUserById(db, userId),
  ];
  const results = await db.batch(statements);
  const userRow = results.at(-1)?.results[0] as Parameters<typeof toUser>[0] | undefined;
  return { consumed: (results[0]?.results.length ?? 0) > 0, user: userRow ? toUser(userRow) : null };
}
