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

/** The user this device's cookie (signed, unexpired) names and when it was set; null without one. No storage read. */
export async function readRememberedDevice(c: Context<AppEnv>): Promise<{ userId: string; setAt: number } | null> {
  const { config, envelopeKeys } = c.get('services');
  if (config.rememberDeviceDays === 0) return null;
  const cookie = config.secureCookies ? getCookie(c, COOKIE_NAME, 'host') : getCookie(c, COOKIE_NAME);
  if (!cookie || cookie.length > 4096) return null;
  const claims = await openEnvelope(envelopeKeys, DEVICE_TYP, cookie);
  return claims && typeof claims.sub === 'string' && typeof claims.iat === 'number' ? { userId: claims.sub, setAt: claims.iat } : null;
}

/**
 * Whether the device's cookie names this user and was set after everything that voids it: a new password or
 * disabling (both move sessions_ended_at), in whole seconds, at or before counting as before.
 */
export function remembersUser(device: { userId: string; setAt: number }, user: Pick<User, 'id' | 'disabled' | 'sessionsEndedAt'>): boolean {
  if (user.disabled || device.userId !== user.id) return false;
  return user.sessionsEndedAt === null || device.setAt > user.sessionsEndedAt;
}
