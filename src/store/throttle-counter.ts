// A Durable Object per throttled subject (account or IP): an exact attempt counter next to the user.
// D1 would need a round trip to its one primary region for every sign-in; a Durable Object is just as
// strongly consistent (one instance, requests in order) and lives where it was first used.
import { DurableObject } from 'cloudflare:workers';

interface Window {
  start: number;
  count: number;
}

const KEY = 'window';

export class AttemptCounter extends DurableObject {
  /** Counts one attempt in a fixed window; returns the count including it. */
  async attempt(windowSeconds: number, now: number): Promise<number> {
    const current = await this.ctx.storage.get<Window>(KEY);
    const next = !current || current.start <= now - windowSeconds ? { start: now, count: 1 } : { start: current.start, count: current.count + 1 };
    await this.ctx.storage.put(KEY, next);
    return next.count;
  }

  /** Gives one attempt back (a success that had been counted in advance). */
  async release(): Promise<void> {
    const current = await this.ctx.storage.get<Window>(KEY);
    if (current && current.count > 0) await this.ctx.storage.put(KEY, { ...current, count: current.count - 1 });
  }

  /** Starts over (a successful sign-in resets the account). */
  async reset(): Promise<void> {
    await this.ctx.storage.delete(KEY);
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
