// Throttling of open registration (RFC 7591 §3 leaves it to the server): registrations per caller address in a
// Durable Object counter, like sign-in attempts, so a flood is refused before it reaches D1.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { nowSeconds } from '../clock.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { OAuthError } from '../oauth/errors.ts';
import { StorageUnavailableError } from '../store/guard.ts';
import { attemptCounter } from '../store/throttle-counter.ts';
import { guesserAddress } from './address.ts';
import { counterKey } from './counter-key.ts';

/** 429 (RFC 6585 §4) with Retry-After and an RFC 6749 style body; OAuthError's codes map to no 429 of their own. */
function tooManyRegistrations(retryAfterSeconds: number): HTTPException {
  const answer = new OAuthError('temporarily_unavailable', 'too many registrations from this address; try again later')
    .withRetryAfter(retryAfterSeconds).getResponse();
  return new HTTPException(429, { res: new Response(answer.body, { status: 429, headers: answer.headers }) });
}

/**
 * Counts this request against the caller's address (an IPv6 address by its /64, `throttleAddress`) before the
 * body is read; past REGISTRATION_MAX_PER_IP in the window it is refused. Only the request that crosses the
 * limit is audited, so a flood cannot flood the audit log.
 */
export async function countRegistration(c: Context<AppEnv>): Promise<void> {
  const { throttle, registration } = c.get('services').config;
  const ip = guesserAddress(c);
  if (!ip) return;
  const now = nowSeconds();
  const key = await counterKey('register', 'ip', ip);
  const { count, end } = await attemptCounter(c.env.THROTTLE, key).attemptInWindow(throttle.windowSeconds, now).catch((err: unknown) => {
    throw new StorageUnavailableError('registration counter failed', { cause: err });
  });
  if (count <= registration.maxPerIp) return;
  if (count === registration.maxPerIp + 1) recordAudit(c, { type: 'client.registration.throttled', outcome: 'failure', detail: 'limit reached for this address' });
  throw tooManyRegistrations(Math.max(1, end - now));
}
