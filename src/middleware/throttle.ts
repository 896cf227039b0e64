// Throttling of password, client-secret and user-code guessing with D1 atomic counters (docs/security.md).
import type { Context } from 'hono';
import { digestToken } from '../crypto/digest.ts';
import type { AppEnv } from '../env.ts';
import { nowSeconds, replicaReader } from '../store/db.ts';
import { countAttempts, readAttempts, releaseAttempt, resetAttempts } from '../store/rate-limits.ts';
import { recordAudit } from './audit.ts';

/** Cloudflare sets CF-Connecting-IP on every request; it is absent only under local tools. */
function clientIp(c: Context<AppEnv>): string | null {
  return c.req.header('CF-Connecting-IP') ?? null;
}

async function key(purpose: string, kind: string, subject: string): Promise<string> {
  return `${purpose}:${kind}:${await digestToken(subject)}`;
}

export interface LoginReservation {
  throttled: boolean;
  accountKey: string;
  ipKey: string | null;
}

/**
 * Counts this attempt against the account and the client IP before any password is checked, so N parallel
 * guesses each see a distinct count and exactly the limit get a PBKDF2; the rest are refused at once.
 */
export async function reserveLoginAttempt(c: Context<AppEnv>, username: string, clientId: string): Promise<LoginReservation> {
  const { throttle } = c.get('services').config;
  const ip = clientIp(c);
  const accountKey = await key('login', 'account', username.toLowerCase());
  const ipKey = ip ? await key('login', 'ip', ip) : null;
  const [account = 0, perIp = 0] = await countAttempts(c.env.DB, ipKey ? [accountKey, ipKey] : [accountKey], throttle.windowSeconds, nowSeconds());
  const throttled = account > throttle.loginPerAccount || (ipKey !== null && perIp > throttle.loginPerIp);
  if (throttled) recordAudit(c, { type: 'login.throttled', outcome: 'failure', clientId, detail: account > throttle.loginPerAccount ? 'account' : 'ip' });
  return { throttled, accountKey, ipKey };
}

/** A successful login resets the account's counter and gives the IP its attempt back. */
export function loginSucceeded(c: Context<AppEnv>, r: LoginReservation): void {
  c.executionCtx.waitUntil(
    Promise.all([resetAttempts(c.env.DB, r.accountKey), r.ipKey ? releaseAttempt(c.env.DB, r.ipKey) : null]).catch(() => undefined),
  );
}

async function clientKeys(c: Context<AppEnv>, clientId: string): Promise<string[]> {
  const ip = clientIp(c);
  return [await key('client', 'id', clientId), ...(ip ? [await key('client', 'ip', ip)] : [])];
}

/**
 * Before a client secret is checked: refused while the client id or the caller's IP has too many recent
 * failures. Read from a replica; secrets are 256-bit random, so this is defence in depth, not exact.
 */
export async function isClientAuthThrottled(c: Context<AppEnv>, clientId: string): Promise<boolean> {
  const { throttle } = c.get('services').config;
  const counts = await readAttempts(replicaReader(c.env.DB), await clientKeys(c, clientId), throttle.windowSeconds, nowSeconds());
  return counts.some((n) => n >= throttle.clientAuthFailures);
}

export async function recordClientAuthFailure(c: Context<AppEnv>, clientId: string): Promise<void> {
  const { throttle } = c.get('services').config;
  await countAttempts(c.env.DB, await clientKeys(c, clientId), throttle.windowSeconds, nowSeconds());
}

/** User-code guessing on the device verification page: counted per IP before the code is looked up. */
export async function reserveUserCodeAttempt(c: Context<AppEnv>): Promise<{ throttled: boolean; ipKey: string | null }> {
  const { throttle } = c.get('services').config;
  const ip = clientIp(c);
  if (!ip) return { throttled: false, ipKey: null };
  const ipKey = await key('device', 'ip', ip);
  const [count = 0] = await countAttempts(c.env.DB, [ipKey], throttle.windowSeconds, nowSeconds());
  if (count > throttle.deviceCodePerIp) recordAudit(c, { type: 'device.throttled', outcome: 'failure' });
  return { throttled: count > throttle.deviceCodePerIp, ipKey };
}

export function userCodeAccepted(c: Context<AppEnv>, ipKey: string | null): void {
  if (ipKey) c.executionCtx.waitUntil(releaseAttempt(c.env.DB, ipKey).catch(() => undefined));
}
