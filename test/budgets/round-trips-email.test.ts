// Storage round trips on the response path of the email flows: a reset request answers from the Durable Object
// counters alone, the same ops whether or not the name has an account (no timing side channel).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROUND_TRIP_BUDGETS } from '../../bench/lib/budgets.ts';
import { createUser } from '../helpers/fixtures.ts';
import { expectWithin, formRequest, responsePathOps } from './probe.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('storage round trips on the response path: email flows (bench/lib/budgets.ts)', () => {
  it('POST /password/forgot makes the same round trips for an existing and an unknown account', async () => {
    // Without DEV_MODE the probe's Worker has no mail transport: the waitUntil send fails and logs, off the path.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // A fresh name and address for each probe: the per-account and per-address limits would otherwise answer 429.
    let n = 0;
    const ask = (name: () => Promise<string>) => async () =>
      formRequest('/password/forgot', { identifier: await name() }, { 'CF-Connecting-IP': `198.18.${n >> 8}.${n++ & 255}` });
    const existing = await responsePathOps(ask(async () => (await createUser()).username), 200);
    const unknown = await responsePathOps(ask(async () => `nobody-${n}-${Date.now()}`), 200);
    expectWithin(existing, ROUND_TRIP_BUDGETS.passwordForgot);
    expectWithin(unknown, ROUND_TRIP_BUDGETS.passwordForgot);
    expect(existing.map((op) => op.kind)).toEqual(unknown.map((op) => op.kind));
    expect(existing.length).toBe(unknown.length);
  });
});
