// The single-use Durable Object: a key is claimed once while live, expired keys are deleted by alarm.
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { claimOnce, type SingleUseMarks } from '../../src/store/single-use.ts';

const scope = () => `test:single-use:${crypto.randomUUID()}`;
const now = () => Math.floor(Date.now() / 1000);

describe('claimOnce', () => {
  it('claims a key once; a second claim, even concurrent, is refused', async () => {
    const name = scope();
    const results = await Promise.all(Array.from({ length: 5 }, () => claimOnce(env.SINGLE_USE, name, 'challenge-1', now() + 300, now())));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await claimOnce(env.SINGLE_USE, name, 'challenge-1', now() + 300, now())).toBe(false);
  });

  it('keeps keys of different scopes and different keys apart', async () => {
    const [a, b] = [scope(), scope()];
    expect(await claimOnce(env.SINGLE_USE, a, 'k', now() + 60, now())).toBe(true);
    expect(await claimOnce(env.SINGLE_USE, b, 'k', now() + 60, now())).toBe(true);
    expect(await claimOnce(env.SINGLE_USE, a, 'other', now() + 60, now())).toBe(true);
  });

  it('deletes expired keys at the alarm and stops existing when none is left', async () => {
    const name = scope();
    const t = now();
    await claimOnce(env.SINGLE_USE, name, 'short', t + 1, t);
    await claimOnce(env.SINGLE_USE, name, 'long', t + 3600, t);
    const stub = env.SINGLE_USE.get(env.SINGLE_USE.idFromName(name));
    expect(await runInDurableObject(stub, (_o: SingleUseMarks, state) => state.storage.getAlarm())).toBe((t + 1) * 1000);
    await runInDurableObject(stub, async (o: SingleUseMarks, state) => {
      await state.storage.put('short', t - 10);
      await o.alarm();
    });
    const keys = await runInDurableObject(stub, async (_o: SingleUseMarks, state) => [...(await state.storage.list()).keys()]);
    expect(keys).toEqual(['long']);
    expect(await runInDurableObject(stub, (_o: SingleUseMarks, state) => state.storage.getAlarm())).toBe((t + 3600) * 1000);
    await runInDurableObject(stub, async (o: SingleUseMarks, state) => {
      await state.storage.put('long', t - 10);
      await o.alarm();
    });
    expect(await runInDurableObject(stub, async (_o: SingleUseMarks, state) => (await state.storage.list()).size)).toBe(0);
  });

  it('lets a key be claimed again once its earlier claim expired', async () => {
    const name = scope();
    const t = now();
    expect(await claimOnce(env.SINGLE_USE, name, 'k', t + 30, t)).toBe(true);
    expect(await claimOnce(env.SINGLE_USE, name, 'k', t + 90, t + 31)).toBe(true);
  });
});
