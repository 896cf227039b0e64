// "Remember this device": a signed cookie naming the user and when it was set, sparing the policy's second factor.
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { openEnvelope, sealEnvelope } from '../crypto/jwt.ts';
import type { AppEnv } from '../env.ts';
import type { User } from '../store/users.ts';

const DEVICE_TYP = 'remember-device+jwt';
const COOKIE_NAME = 'edge_oidc_device';
const DAY_SECONDS = 86_400;

/** Sets the cookie for `userId` (HttpOnly; __Host- and Secure on https, as the session cookie) for the configured days. */
export async function rememberDevice(c: Context<AppEnv>, userId: string): Promise<void> {
  const { config, envelopeKeys } = c.get('services');
  if (config.rememberDeviceDays === 0) return;
  const ttl = config.rememberDeviceDays * DAY_SECONDS;
  const cookie = await sealEnvelope(envelopeKeys, DEVICE_TYP, { sub: userId }, ttl);
  const secure = config.secureCookies;
  setCookie(c, COOKIE_NAME, cookie, { secure, httpOnly: true, sameSite: 'Lax', path: '/', maxAge: ttl, ...(secure ? { prefix: 'host' as const } : {}) });
}

/**
 * Whether this device's cookie, signed and unexpired, names this user and was set after everything that voids it:
 * a new password or disabling (both move sessions_ended_at), in whole seconds, at or before counting as before.
 */
export async function isDeviceRemembered(c: Context<AppEnv>, user: Pick<User, 'id' | 'disabled' | 'sessionsEndedAt'>): Promise<boolean> {
  const { config, envelopeKeys } = c.get('services');
  if (config.rememberDeviceDays === 0 || user.disabled) return false;
  const cookie = config.secureCookies ? getCookie(c, COOKIE_NAME, 'host') : getCookie(c, COOKIE_NAME);
  if (!cookie || cookie.length > 4096) return false;
  const claims = await openEnvelope(envelopeKeys, DEVICE_TYP, cookie);
  if (!claims || claims.sub !== user.id || typeof claims.iat !== 'number') return false;
  return user.sessionsEndedAt === null || claims.iat > user.sessionsEndedAt;
}
