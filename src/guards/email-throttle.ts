// Throttling of the email flows in the same Durable Object counters as sign-in: reset requests per account name
// and per address, verification codes per user. Counted before anything is looked up, so a refusal leaks nothing.
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import { RESET_REQUESTS_PER_ACCOUNT, RESET_REQUESTS_PER_IP, VERIFY_CODE_ATTEMPTS_PER_USER } from '../constants.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { usernameKey } from '../policy/unicode.ts';
import { StorageUnavailableError } from '../store/guard.ts';
import { attemptCounter } from '../store/throttle-counter.ts';
import { guesserAddress } from './address.ts';
import { counterKey } from './counter-key.ts';

async function count(c: Context<AppEnv>, key: string): Promise<number> {
  const { windowSeconds } = c.get('services').config.throttle;
  try {
    return await attemptCounter(c.env.THROTTLE, key).attempt(windowSeconds, nowSeconds());
  } catch (err) {
    throw new StorageUnavailableError('attempt counter failed', { cause: err });
  }
}

/**
 * Counts a reset request against the name typed (the same key whether or not an account has it) and the caller's
 * address; true when either is over its limit.
 */
export async function isResetRequestThrottled(c: Context<AppEnv>, identifier: string): Promise<boolean> {
  const ip = guesserAddress(c);
  const [account, perIp] = await Promise.all([
    counterKey('reset', 'account', usernameKey(identifier)).then((k) => count(c, k)),
    ip ? counterKey('reset', 'ip', ip).then((k) => count(c, k)) : 0,
  ]);
  const throttled = account > RESET_REQUESTS_PER_ACCOUNT || perIp > RESET_REQUESTS_PER_IP;
  if (throttled) recordAudit(c, { type: 'password.reset.throttled', outcome: 'failure', detail: account > RESET_REQUESTS_PER_ACCOUNT ? 'account' : 'ip' });
  return throttled;
}

/** Counts a verification code attempt for the user; true past the limit (10^6 codes, 5 tries a window). */
export async function isVerifyCodeThrottled(c: Context<AppEnv>, userId: string): Promise<boolean> {
  const throttled = (await count(c, await counterKey('verify', 'user', userId))) > VERIFY_CODE_ATTEMPTS_PER_USER;
  if (throttled) recordAudit(c, { type: 'email.verify.throttled', outcome: 'failure', userId });
  return throttled;
}
