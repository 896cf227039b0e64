// A device_codes row and the device code the grant and the verification page read from it.
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

export interface DeviceCodeRow {
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

export const DEVICE_CODE_COLUMNS =
  'device_code_hash, user_code, client_id, scope, status, user_id, auth_time, session_id_hash, amr, interval_seconds, last_polled_at, expires_at';

export function toDeviceCode(r: DeviceCodeRow): DeviceCode {
  return {
    deviceCodeHash: r.device_code_hash, userCode: r.user_code, clientId: r.client_id, scope: r.scope, status: r.status,
    userId: r.user_id, authTime: r.auth_time, sessionIdHash: r.session_id_hash, amr: JSON.parse(r.amr) as string[], intervalSeconds: r.interval_seconds,
    lastPolledAt: r.last_polled_at, expiresAt: r.expires_at,
  };
}
