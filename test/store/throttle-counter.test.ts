import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attemptCounter, type AttemptCounter } from '../../src/store/throttle-counter.ts';
import { nowSeconds } from '../../src/clock.ts';

const WINDOW_SECONDS = 900;

describe('attempt counter lifecycle', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sets an alarm at the end of its window and deletes its storage when it fires', async () => {
    const stub = attemptCounter(env.THROTTLE, `test:lifecycle:${crypto.randomUUID()}`);
    const now = nowSeconds();
    expect(await stub.attempt(WINDOW_SECONDS, now)).toBe(1);
    expect(await stub.attempt(WINDOW_SECONDS, now + 1)).toBe(2);
    const alarm = await runInDurableObject(stub, (_o: AttemptCounter, state) => state.storage.getAlarm());
    expect(alarm).toBe((now + WINDOW_SECONDS) * 1000);
    vi.useFakeTimers({ now: alarm! });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const keys = await runInDurableObject(stub, async (_o: AttemptCounter, state) => [...(await state.storage.list()).keys()]);
    expect(keys).toEqual([]);
    expect(await runInDurableObject(stub, (_o: AttemptCounter, state) => state.storage.getAlarm())).toBeNull();
    expect(await stub.peek(WINDOW_SECONDS, now + 2)).toBe(0);
  });

  it('an alarm that fires before the window ends keeps the count and waits for the end', async () => {
    const stub = attemptCounter(env.THROTTLE, `test:lifecycle:${crypto.randomUUID()}`);
    const now = nowSeconds();
    await stub.attempt(WINDOW_SECONDS, now);
    await runInDurableObject(stub, (counter: AttemptCounter) => counter.alarm());
    expect(await stub.peek(WINDOW_SECONDS, now)).toBe(1);
    expect(await runInDurableObject(stub, (_o: AttemptCounter, state) => state.storage.getAlarm())).toBe((now + WINDOW_SECONDS) * 1000);
  });

  it('a new window moves the alarm to its own end', async () => {
    const stub = attemptCounter(env.THROTTLE, `test:lifecycle:${crypto.randomUUID()}`);
    const now = nowSeconds();
    await stub.attempt(WINDOW_SECONDS, now - 2 * WINDOW_SECONDS);
    await stub.attempt(WINDOW_SECONDS, now);
    const alarm = await runInDurableObject(stub, (_o: AttemptCounter, state) => state.storage.getAlarm());
    expect(alarm).toBe((now + WINDOW_SECONDS) * 1000);
  });

  it('a reset leaves nothing stored', async () => {
    const stub = attemptCounter(env.THROTTLE, `test:lifecycle:${crypto.randomUUID()}`);
    await stub.attempt(WINDOW_SECONDS, nowSeconds());
    await stub.reset();
    const alarm = await runInDurableObject(stub, (_o: AttemptCounter, state) => state.storage.getAlarm());
    expect(alarm).toBeNull();
    expect(await runInDurableObject(stub, async (_o: AttemptCounter, state) => (await state.storage.list()).size)).toBe(0);
  });
});
