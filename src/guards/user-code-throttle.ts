// Throttling of user-code guessing on the device verification page (RFC 8628 §5.1): a D1 atomic counter per IP.
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { countAttempts, releaseAttempt } from '../store/rate-limits.ts';
import { guesserAddress } from './address.ts';
import { counterKey } from './counter-key.ts';

/** Counted per IP before the code is looked up. */
export async function reserveUserCodeAttempt(c: Context<AppEnv>): Promise<{ throttled: boolean; ipKey: string | null }> {
  const { throttle } = c.get('services').config;
  const ip = guesserAddress(c);
  if (!ip) return { throttled: false, ipKey: null };
  const ipKey = await counterKey('device', 'ip', ip);
  const [count = 0] = await countAttempts(c.env.DB, [ipKey], throttle.windowSeconds, nowSeconds());
  if (count > throttle.deviceCodePerIp) recordAudit(c, { type: 'device.throttled', outcome: 'failure' });
  return { throttled: count > throttle.deviceCodePerIp, ipKey };
}

/** A code that matched gives the IP its attempt back. */
export function userCodeAccepted(c: Context<AppEnv>, ipKey: string | null): void {
  if (ipKey) c.executionCtx.waitUntil(releaseAttempt(c.env.DB, ipKey).catch(() => undefined));
}
