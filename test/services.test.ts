// Per-isolate services (src/services.ts): built once, reused while the vars and secrets stay the same.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Bindings } from '../src/env.ts';
import { loadServices } from '../src/services.ts';

describe('loadServices', () => {
  it('reuses the services for the same env, and for another env object with the same values', async () => {
    const first = await loadServices(env as Bindings);
    expect(await loadServices(env as Bindings)).toBe(first);
    // A wrapper env (as the storage guard or the bench builds) is a new object with the same vars and secrets.
    expect(await loadServices({ ...(env as Bindings) })).toBe(first);
  });

  it('rebuilds when a var or a secret changes', async () => {
    const base = env as Bindings;
    const first = await loadServices(base);
    const renamed = await loadServices({ ...base, BRAND_NAME: 'Another Brand' });
    expect(renamed).not.toBe(first);
    expect(renamed.config.branding.productName).toBe('Another Brand');
    const back = await loadServices(base);
    expect(back).not.toBe(renamed);
    expect(back.config.branding.productName).toBe(first.config.branding.productName);
  });

  it('does not keep a bad secret cached once it is fixed', async () => {
    const base = env as Bindings;
    await expect(loadServices({ ...base, SESSION_SECRET: 'short' })).rejects.toThrow(/SESSION_SECRET/);
    const fixed = await loadServices(base);
    expect(fixed.envelopeKeys).toBeDefined();
  });

  it('refuses a missing or malformed DATA_ENCRYPTION_KEY, and rebuilds when it rotates', async () => {
    const base = env as Bindings;
    await expect(loadServices({ ...base, DATA_ENCRYPTION_KEY: '' })).rejects.toThrow(/DATA_ENCRYPTION_KEY/);
    await expect(loadServices({ ...base, DATA_ENCRYPTION_KEY: '1:short' })).rejects.toThrow(/DATA_ENCRYPTION_KEY/);
    const first = await loadServices(base);
    const rotated = await loadServices({ ...base, DATA_ENCRYPTION_KEY: `2:${'A'.repeat(43)},${base.DATA_ENCRYPTION_KEY}` });
    expect(rotated.dataKeys.current.id).toBe('2');
    expect(rotated.dataKeys.byId.has(first.dataKeys.current.id)).toBe(true);
  });
});
