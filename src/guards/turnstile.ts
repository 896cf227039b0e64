// Cloudflare Turnstile, verified server-side at the configured siteverify URL; anything but a clear success refuses.
import type { TurnstileConfig } from '../config-signup.ts';

/** The form field the widget fills in (Cloudflare's name). */
export const TURNSTILE_FIELD = 'cf-turnstile-response';
// Cloudflare documents tokens of up to 2048 characters; anything longer is not one.
const MAX_TOKEN_CHARS = 2048;
const VERIFY_TIMEOUT_MS = 5000;

/**
 * Fails closed: no token, a network error, a timeout, a non-2xx answer, unparsable JSON or success other than
 * true all refuse. The remote address is passed on as Cloudflare recommends (siteverify's `remoteip`).
 */
export async function verifyTurnstile(config: TurnstileConfig, token: string | null, remoteIp: string | null): Promise<boolean> {
  if (!token || token.length > MAX_TOKEN_CHARS) return false;
  const body = new URLSearchParams({ secret: config.secretKey, response: token });
  if (remoteIp) body.set('remoteip', remoteIp);
  try {
    const res = await fetch(config.verifyUrl, { method: 'POST', body, signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS) });
    if (!res.ok) return false;
    const outcome: unknown = await res.json();
    return typeof outcome === 'object' && outcome !== null && (outcome as { success?: unknown }).success === true;
  } catch {
    return false;
  }
}
