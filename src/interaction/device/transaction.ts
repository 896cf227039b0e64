// The device flow's signed transaction (RFC 8628 §3.3): which user code the pages are about, and in which session.
import type { Context } from 'hono';
import { nowSeconds } from '../../clock.ts';
import type { AppEnv } from '../../env.ts';
import { loadClient, type Client } from '../../store/clients.ts';
import { findPendingDeviceCode, type DeviceCode } from '../../store/device-codes.ts';
import { openPageEnvelope, sealPageEnvelope } from '../transaction.ts';

const DEVICE_TYP = 'device+jwt';

export interface DeviceTransaction {
  userCode: string;
  /** Set on the approval page: the session that approval is asked in. */
  session: string | null;
}

/** A pending device code with its client, both still present. */
export interface PendingDevice {
  device: DeviceCode;
  client: Client;
}

export function sealDeviceTransaction(c: Context<AppEnv>, tx: DeviceTransaction): Promise<string> {
  return sealPageEnvelope(c, DEVICE_TYP, { ...tx });
}

export async function openDeviceTransaction(c: Context<AppEnv>, token: string | null): Promise<DeviceTransaction | null> {
  const claims = await openPageEnvelope(c, DEVICE_TYP, token);
  return claims && typeof claims.userCode === 'string' ? { userCode: claims.userCode, session: typeof claims.session === 'string' ? claims.session : null } : null;
}

/** The pending code and its client, or null when either is gone. */
export async function loadPending(c: Context<AppEnv>, userCode: string): Promise<PendingDevice | null> {
  const device = await findPendingDeviceCode(c.env.DB, userCode, nowSeconds());
  const client = device ? await loadClient(c.env.DB, device.clientId) : null;
  return device && client ? { device, client } : null;
}
