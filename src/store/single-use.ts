// A Durable Object that claims keys once: WebAuthn challenges and used TOTP steps, single use near the user.
// KV cannot promise single use and a D1 write goes to its one primary region, which the sign-in budget forbids;
// a Durable Object is strongly consistent (one instance, requests in order) and lives where it was first used.
// Each key is kept until its expiry, then an alarm deletes it, so the object leaves nothing behind.
import { DurableObject } from 'cloudflare:workers';

// At most this many live keys per object: one user's or one transaction's marks are a handful.
const MAX_KEYS = 1000;

export class SingleUseMarks extends DurableObject {
  /**
   * Claims `key` until `expiresAt` (seconds): true the first time, false while an earlier claim is live, and
   * false when the object is full (refusing is the safe answer for a one-time value).
   */
  async claim(key: string, expiresAt: number, now: number): Promise<boolean> {
    const held = await this.ctx.storage.get<number>(key);
    if (held !== undefined && held > now) return false;
    const size = (await this.ctx.storage.list({ limit: MAX_KEYS })).size;
    if (held === undefined && size >= MAX_KEYS) return false;
    await this.ctx.storage.put(key, expiresAt);
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm > expiresAt * 1000) await this.ctx.storage.setAlarm(expiresAt * 1000);
    return true;
  }

  /** Deletes expired keys, then wakes again at the next expiry; with none left the object stops existing. */
  override async alarm(): Promise<void> {
    const marks = await this.ctx.storage.list<number>();
    const nowMs = Date.now();
    const expired = [...marks].filter(([, at]) => at * 1000 <= nowMs).map(([key]) => key);
    if (expired.length) await this.ctx.storage.delete(expired.slice(0, 128));
    const next = [...marks.values()].filter((at) => at * 1000 > nowMs).sort((a, b) => a - b)[0];
    if (expired.length > 128) await this.ctx.storage.setAlarm(nowMs);
    else if (next !== undefined) await this.ctx.storage.setAlarm(next * 1000);
    else await this.ctx.storage.deleteAll();
  }
}

export type SingleUseNamespace = DurableObjectNamespace<SingleUseMarks>;

/**
 * Claims `key` once in the object named `scope` (e.g. `webauthn:<challenge id>`, `totp:<user id>`): true the
 * first time before `expiresAt` (seconds), false on every later claim.
 */
export function claimOnce(namespace: SingleUseNamespace, scope: string, key: string, expiresAt: number, now: number): Promise<boolean> {
  return namespace.get(namespace.idFromName(scope)).claim(key, expiresAt, now);
}
