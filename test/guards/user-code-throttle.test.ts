import { describe, expect, it } from 'vitest';
import { form } from '../helpers/fixtures.ts';

describe('user code throttling on the device page', () => {
  it('limits guesses per IP', async () => {
    const ip = '192.0.2.44';
    for (let i = 0; i < 10; i++) {
      const res = await form('/device', { user_code: 'BCDF-GHJK' }, { 'CF-Connecting-IP': ip });
      expect(res.status).toBe(400);
    }
    const limited = await form('/device', { user_code: 'BCDF-GHJK' }, { 'CF-Connecting-IP': ip });
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('Too many attempts');
  });
});

describe('what a per-IP counter counts', () => {
  it('limits user-code guesses per IPv6 /64, not per address: rotating addresses does not escape', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await form('/device', { user_code: 'BCDF-GHJK' }, { 'CF-Connecting-IP': `2001:db8:77:1:${i.toString(16)}::${i + 1}` });
      expect(res.status).toBe(400);
    }
    const rotated = await form('/device', { user_code: 'BCDF-GHJK' }, { 'CF-Connecting-IP': '2001:db8:77:1:ffff:ffff:ffff:fffe' });
    expect(rotated.status).toBe(429);
    // The neighbouring /64 is someone else.
    const neighbour = await form('/device', { user_code: 'BCDF-GHJK' }, { 'CF-Connecting-IP': '2001:db8:77:2::1' });
    expect(neighbour.status).toBe(400);
  });
});
