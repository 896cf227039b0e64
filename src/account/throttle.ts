// Throttling of the account page's costly changes, per user, in the sign-in's Durable Object counters: a password
// check (PBKDF2, and a guess at the current password), an email change or a deletion request (each mails someone).
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import type { AppEnv } from '../env.ts';
import { counterKey } from '../guards/counter-key.ts';
import { recordAudit } from '../middleware/audit.ts';
import { StorageUnavailableError } from '../store/guard.ts';
import { attemptCounter } from '../store/throttle-counter.ts';

/** Attempts per user and per kind within the throttle window (THROTTLE_WINDOW_SECONDS, 15 minutes by default). */
export const ACCOUNT_CHANGES_PER_WINDOW = 5;

export type ThrottledChange = 'password' | 'email' | 'delete';

/** Counts the attempt; true past the limit (audited as `account.throttled`, detail the kind). */
export async function isAccountChangeThrottled(c: Context<AppEnv>, userId: string, kind: ThrottledChange): Promise<boolean> {
  const { windowSeconds } = c.get('services').config.throttle;
  let count: number;
  try {
    count = await attemptCounter(c.env.THROTTLE, await counterKey(`account-${kind}`, 'user', userId)).attempt(windowSeconds, nowSeconds());
  } catch (err) {
    throw new StorageUnavailableError('attempt counter failed', { cause: err });
  }
  const throttled = count > ACCOUNT_CHANGES_PER_WINDOW;
  if (throttled) recordAudit(c, { type: 'account.throttled', outcome: 'failure', userId, detail: kind });
  return throttled;
}
