// Where a session starts (browser, address, Cloudflare's approximate place) and the notice for a new device.
// Decision (docs/decisions.md): "new" means a browser family and system ("Firefox on Linux") none of the user's
// earlier recorded sessions had; it runs after the session's off-path insert, never on the sign-in's response path.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { insertSessionReadingEarlier } from '../store/session-list.ts';
import type { SessionDevice, SessionRecord } from '../store/sessions.ts';
import { findUserById } from '../store/users.ts';
import { sendSecurityNotice } from './notices.ts';
import type { Messages } from '../i18n/catalogue.ts';
import { texts } from '../middleware/language.ts';
import { describeBrowser } from './user-agent.ts';

const MAX_FIELD = 512;
const cfText = (value: unknown) => (typeof value === 'string' && value ? value.slice(0, 128) : null);

/** From the request: the User-Agent, CF-Connecting-IP, and request.cf's country and city (absent under local dev). */
export function requestDevice(c: Context<AppEnv>): SessionDevice {
  const cf = c.req.raw.cf as { country?: unknown; city?: unknown } | undefined;
  return {
    userAgent: c.req.header('User-Agent')?.slice(0, MAX_FIELD) ?? null,
    ip: c.req.header('CF-Connecting-IP')?.slice(0, 64) ?? null,
    country: cfText(cf?.country),
    city: cfText(cf?.city),
  };
}

/** "Paris, FR", "FR", or "unknown" (in the reader's language). */
export function describePlace(d: Pick<SessionDevice, 'city' | 'country'>, t: Messages): string {
  return [d.city, d.country].filter(Boolean).join(', ') || t.account.unknownPlace;
}

/** "Firefox on Linux, Paris, FR (203.0.113.7)". */
export function describeDevice(d: SessionDevice, t: Messages): string {
  const where = `${describeBrowser(d.userAgent, t) ?? t.account.unknownBrowserInMail}, ${describePlace(d, t)}`;
  return d.ip ? `${where} (${d.ip})` : where;
}

/**
 * Records the session (off the response path) and, in the same batch, reads the user's earlier browsers: a notice
 * when there were sessions before and none from this kind of browser. An account's first session is not "new".
 */
export async function recordSession(c: Context<AppEnv>, s: SessionRecord, now: number, device: SessionDevice): Promise<void> {
  const earlier = await insertSessionReadingEarlier(c.env.DB, s, now, device);
  const label = describeBrowser(device.userAgent);
  // Only sessions recorded with their device count: with none (a first sign-in, or the first since migration 0015)
  // there is nothing to compare with, and every account would otherwise hear of a "new device" after the upgrade.
  const known = earlier.filter((e) => e.recorded);
  if (known.length === 0 || known.some((e) => describeBrowser(e.userAgent) === label)) return;
  const user = await findUserById(c.env.DB, s.userId);
  if (user && !user.disabled) sendSecurityNotice(c, user, 'new-device', { detail: describeDevice(device, texts(c)) });
}
