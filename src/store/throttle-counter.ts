// A Durable Object per throttled subject (account or IP): an exact attempt counter next to the user.
// D1 would need a round trip to its one primary region for every sign-in; a Durable Object is just as
// strongly consistent (one instance, requests in order) and lives where it was first used. Each counter
// deletes its storage with an alarm at the end of its window, so a name once tried leaves nothing behind.
import { DurableObject } from 'cloudflare:workers';

interface Window {
  start: number;
  count: number;
  /** When the window ends, in seconds: the alarm's time. Absent in counters written before alarms. */
  end?: number;
}

const KEY = 'window';

export class AttemptCounter extends DurableObject {
  /** Counts one attempt in a fixed window; returns the count including it. A new window schedules its own end. */
  async attempt(windowSeconds: number, now: number): Promise<number> {
    return (await this.attemptInWindow(windowSeconds, now)).count;
  }

  /** `attempt`, also saying when the window ends (seconds): what a Retry-After is computed from. */
  async attemptInWindow(windowSeconds: number, now: number): Promise<{ count: number; end: number }> {
    const current = await this.ctx.storage.get<Window>(KEY);
    const fresh = !current || current.start <= now - windowSeconds;
    const next = fresh ? { start: now, count: 1, end: now + windowSeconds } : { ...current, count: current.count + 1 };
    await this.ctx.storage.put(KEY, next);
    if (fresh) await this.ctx.storage.setAlarm(next.end! * 1000);
    return { count: next.count, end: next.end ?? next.start + windowSeconds };
  }

  /**
   * The window is over: nothing stored is needed any more, so the object stops existing. An alarm that
   * fires late, after a newer window began, moves to that window's end instead.
   */
  override async alarm(): Promise<void> {
    const current = await this.ctx.storage.get<Window>(KEY);
    if (current?.end !== undefined && current.end * 1000 > Date.now()) return this.ctx.storage.setAlarm(current.end * 1000);
    await this.ctx.storage.deleteAll();
  }

  /** Gives one attempt back (a success that had been counted in advance). */
  async release(): Promise<void> {
    const current = await this.ctx.storage.get<Window>(KEY);
    if (current && current.count > 0) await this.ctx.storage.put(KEY, { ...current, count: current.count - 1 });
  }

  /** Starts over (a successful sign-in resets the account). */
  async reset(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  /** The count in the current window, without counting. */
  async peek(windowSeconds: number, now: number): Promise<number> {
    const current = await this.ctx.storage.get<Window>(KEY);
    return current && current.start > now - windowSeconds ? current.count : 0;
  }
}

export type AttemptCounters = DurableObjectNamespace<AttemptCounter>;

export function attemptCounter(namespace: AttemptCounters, key: string): DurableObjectStub<AttemptCounter> {
  return namespace.get(namespace.idFromName(key));
}
