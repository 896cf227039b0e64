// Throttling of password guessing (docs/security.md): sign-in attempts counted in Durable Objects, exact and
// near the user, per account and per caller address.
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { usernameKey } from '../policy/unicode.ts';
import { StorageUnavailableError } from '../store/guard.ts';
import { attemptCounter } from '../store/throttle-counter.ts';
import { guesserAddress } from './address.ts';
import { counterKey } from './counter-key.ts';

export interface LoginReservation {
  throttled: boolean;
  /** Which limit refused: the account's, or only the caller address's (which Turnstile may soften). */
  limitedBy: 'account' | 'ip' | null;
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
  const ip = guesserAddress(c);
  const accountKey = await counterKey('login', 'account', usernameKey(username));
  const ipKey = ip ? await counterKey('login', 'ip', ip) : null;
  const now = nowSeconds();
  const [account = 0, perIp = 0] = await Promise.all(
    (ipKey ? [accountKey, ipKey] : [accountKey]).map((k) => attemptCounter(c.env.THROTTLE, k).attempt(throttle.windowSeconds, now)),
  ).catch(counterFailed);
  const limitedBy = account > throttle.loginPerAccount ? 'account' : ipKey !== null && perIp > throttle.loginPerIp ? 'ip' : null;
  if (limitedBy) recordAudit(c, { type: 'login.throttled', outcome: 'failure', clientId, detail: limitedBy });
  return { throttled: limitedBy !== null, limitedBy, accountKey, ipKey };
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

/** A completed password reset lifts the account's sign-in lockout: its owner proved control of the address. */
export async function clearAccountLockout(c: Context<AppEnv>, username: string): Promise<void> {
  const key = await counterKey('login', 'account', usernameKey(username));
  await attemptCounter(c.env.THROTTLE, key).reset().catch(counterFailed);
}
