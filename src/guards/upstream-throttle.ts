// Throttling of upstream sign-ins like password sign-ins (login-throttle.ts): per caller address, in its own counter.
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { StorageUnavailableError } from '../store/guard.ts';
import { attemptCounter } from '../store/throttle-counter.ts';
import { guesserAddress } from './address.ts';
import { counterKey } from './counter-key.ts';

/**
 * Counts an upstream sign-in's start against the address (LOGIN_MAX_ATTEMPTS_PER_IP per window): each start costs
 * us a discovery fetch and a callback's token exchange. There is no account to count against before the upstream answers.
 */
export async function upstreamThrottled(c: Context<AppEnv>, provider: string): Promise<boolean> {
  const ip = guesserAddress(c);
  if (!ip) return false;
  const { throttle } = c.get('services').config;
  const count = await attemptCounter(c.env.THROTTLE, await counterKey('upstream', 'ip', ip)).attempt(throttle.windowSeconds, nowSeconds())
    .catch((err: unknown) => { throw new StorageUnavailableError('attempt counter failed', { cause: err }); });
  const throttled = count > throttle.loginPerIp;
  if (throttled) recordAudit(c, { type: 'upstream.throttled', outcome: 'failure', detail: provider });
  return throttled;
}
