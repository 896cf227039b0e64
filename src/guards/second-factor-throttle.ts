// Throttling of second-factor guessing: wrong TOTP and recovery codes counted like passwords (src/guards/login-throttle.ts),
// per account and per caller address, in their own counters, so password guesses never lock out a second factor.
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { StorageUnavailableError } from '../store/guard.ts';
import { attemptCounter } from '../store/throttle-counter.ts';
import { guesserAddress } from './address.ts';
import { counterKey } from './counter-key.ts';
import type { LoginReservation } from './login-throttle.ts';

/** The message of a throttled second factor: the same words whatever tripped it. */

/** Counts this attempt before any code is checked, with the sign-in limits (5 per account, 50 per address). */
export async function reserveSecondFactorAttempt(c: Context<AppEnv>, userId: string, clientId: string | null): Promise<LoginReservation> {
  const { throttle } = c.get('services').config;
  const ip = guesserAddress(c);
  const accountKey = await counterKey('second-factor', 'account', userId);
  const ipKey = ip ? await counterKey('second-factor', 'ip', ip) : null;
  const now = nowSeconds();
  const [account = 0, perIp = 0] = await Promise.all(
    (ipKey ? [accountKey, ipKey] : [accountKey]).map((k) => attemptCounter(c.env.THROTTLE, k).attempt(throttle.windowSeconds, now)),
  ).catch((err: unknown) => { throw new StorageUnavailableError('attempt counter failed', { cause: err }); });
  const limitedBy = account > throttle.loginPerAccount ? 'account' : ipKey !== null && perIp > throttle.loginPerIp ? 'ip' : null;
  if (limitedBy) recordAudit(c, { type: 'mfa.throttled', outcome: 'failure', userId, clientId, detail: limitedBy });
  return { throttled: limitedBy !== null, limitedBy, accountKey, ipKey };
}
