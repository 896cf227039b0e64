// Throttling of password, client-secret and user-code guessing (docs/security.md): sign-in attempts in
// Durable Objects (exact, near the user), client-auth failures and user codes in D1 atomic counters.
import type { Context } from 'hono';
import { digestToken } from '../crypto/digest.ts';
import type { AppEnv } from '../env.ts';
import { nowSeconds } from '../store/db.ts';
import { StorageUnavailableError } from '../store/guard.ts';
import { countAttempts, releaseAttempt } from '../store/rate-limits.ts';
import { attemptCounter } from '../store/throttle-counter.ts';
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

function counterFailed(err: unknown): never {
  throw new StorageUnavailableError('attempt counter failed', { cause: err });
}

/**
 * Counts this attempt against the account and the client IP before any password is checked. Each
 * counter is one Durable Object handling requests in order, so N parallel guesses see distinct counts:
 * exactly the limit get a PBKDF2 and the rest are refused at once.
 */
export async function reserveLoginAttempt(c: Context<AppEnv>, username: string, clientId: string): Promise<LoginReservation> {
  const { throttle } = c.get('services').config;
  const ip = clientIp(c);
  const accountKey = await key('login', 'account', username.toLowerCase());
  const ipKey = ip ? await key('login', 'ip', ip) : null;
  const now = nowSeconds();
  const [account = 0, perIp = 0] = await Promise.all(
    (ipKey ? [accountKey, ipKey] : [accountKey]).map((k) => attemptCounter(c.env.THROTTLE, k).attempt(throttle.windowSeconds, now)),
  ).catch(counterFailed);
  const throttled = account > throttle.loginPerAccount || (ipKey !== null && perIp > throttle.loginPerIp);
  if (throttled) recordAudit(c, { type: 'login.throttled', outcome: 'failure', clientId, detail: account > throttle.loginPerAccount ? 'account' : 'ip' });
  return { throttled, accountKey, ipKey };
}

/** A successful login resets the account's counter and gives the IP its attempt back. */
export function loginSucceeded(c: Context<AppEnv>, r: LoginReservation): void {
  c.executionCtx.waitUntil(
    Promise.all([
      attemptCounter(c.env.THROTTLE, r.accountKey).reset(),
      r.ipKey ? attemptCounter(c.env.THROTTLE, r.ipKey).release() : null,
    ]).catch(() => undefined),
  );
}

// Client ids and IPs over the failure limit, as this isolate last learned from D1: checked before any secret
// with no storage round trip. Every isolate learns on its own first failure past the limit, so a guesser
// spreading across isolates gains at most one extra try in each; secrets are 256-bit random anyway.
const clientAuthBlocked = new Map<string, number>();
const BLOCKED_MAX_ENTRIES = 10_000;

function clientSubjects(c: Context<AppEnv>, clientId: string): string[] {
  const ip = clientIp(c);
  return [`id:${clientId}`, ...(ip ? [`ip:${ip}`] : [])];
}

/** Before a client secret is checked: refused while the client id or the caller's IP has too many failures. */
export function isClientAuthThrottled(c: Context<AppEnv>, clientId: string): boolean {
  const now = nowSeconds();
  return clientSubjects(c, clientId).some((subject) => (clientAuthBlocked.get(subject) ?? 0) > now);
}

/** Counts a failed client authentication in D1 (atomic, global) and blocks locally what is over the limit. */
export async function recordClientAuthFailure(c: Context<AppEnv>, clientId: string): Promise<void> {
  const { throttle } = c.get('services').config;
  const now = nowSeconds();
  const subjects = clientSubjects(c, clientId);
  const keys = await Promise.all(subjects.map((subject) => key('client', subject.slice(0, 2), subject.slice(3))));
  const counts = await countAttempts(c.env.DB, keys, throttle.windowSeconds, now);
  counts.forEach((n, i) => {
    if (n < throttle.clientAuthFailures) return;
    if (clientAuthBlocked.size >= BLOCKED_MAX_ENTRIES) clientAuthBlocked.delete(clientAuthBlocked.keys().next().value!);
    clientAuthBlocked.set(subjects[i]!, now + throttle.windowSeconds);
  });
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
