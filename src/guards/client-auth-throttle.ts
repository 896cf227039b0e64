// Throttling of client-secret guessing (docs/security.md): failed client authentications in a D1 atomic counter.
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import type { AppEnv } from '../env.ts';
import { countAttempt } from '../store/rate-limits.ts';
import { clientIp } from './address.ts';
import { counterKey } from './counter-key.ts';

export interface ClientAuthFailure {
  /** Seconds until the pair's window ends, once it is past the limit (RFC 9110 §10.2.3 Retry-After); else null. */
  retryAfterSeconds: number | null;
  /** True for the one failure that took the pair past the limit in this window. */
  crossedLimit: boolean;
}

/**
 * Counts a failed client authentication for the pair (client id, caller's exact address) in D1, after the
 * secret was compared: a correct secret never consults this. Neither a shared address nor a public client id
 * lets one caller hold back anyone else. The exact address, not its /64: secrets are 256-bit random, so
 * rotating addresses gains a guesser nothing. The count runs under waitUntil so that a caller hanging up
 * cannot cancel it.
 */
export async function countClientAuthFailure(c: Context<AppEnv>, clientId: string): Promise<ClientAuthFailure> {
  const { throttle } = c.get('services').config;
  const now = nowSeconds();
  const pairKey = await counterKey('client', 'pair', JSON.stringify([clientId, clientIp(c) ?? '']));
  const counted = countAttempt(c.env.DB, pairKey, throttle.windowSeconds, now);
  c.executionCtx.waitUntil(counted.catch(() => undefined));
  const { count, windowStart } = await counted;
  if (count <= throttle.clientAuthFailures) return { retryAfterSeconds: null, crossedLimit: false };
  return { retryAfterSeconds: Math.max(1, windowStart + throttle.windowSeconds - now), crossedLimit: count === throttle.clientAuthFailures + 1 };
}
