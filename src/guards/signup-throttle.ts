// Throttling of sign-up attempts per caller address, in the same Durable Object counters as sign-in.
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import { SIGNUPS_PER_IP } from '../constants.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { StorageUnavailableError } from '../store/guard.ts';
import { attemptCounter } from '../store/throttle-counter.ts';
import { guesserAddress } from './address.ts';
import { counterKey } from './counter-key.ts';

/** Counts the attempt against the caller's address (counted before anything is looked up); true past the limit. */
export async function isSignupThrottled(c: Context<AppEnv>): Promise<boolean> {
  const ip = guesserAddress(c);
  if (!ip) return false;
  const key = await counterKey('signup', 'ip', ip);
  const n = await attemptCounter(c.env.THROTTLE, key)
    .attempt(c.get('services').config.throttle.windowSeconds, nowSeconds())
    .catch((err: unknown) => {
      throw new StorageUnavailableError('attempt counter failed', { cause: err });
    });
  if (n > SIGNUPS_PER_IP) recordAudit(c, { type: 'signup.throttled', outcome: 'failure', detail: 'ip' });
  return n > SIGNUPS_PER_IP;
}
