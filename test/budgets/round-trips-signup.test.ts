// Storage round trips on the response path of sign-up: the same ops whether the username or address is new or
// taken (no enumeration through timing), and none in D1 with SIGNUP=open.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROUND_TRIP_BUDGETS } from '../../bench/lib/budgets.ts';
import { mintInvite } from '../../src/accounts/invites.ts';
import { readConfig } from '../../src/config.ts';
import { createUser } from '../helpers/fixtures.ts';
import { expectWithin, formRequest, responsePathOps } from './probe.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

// Each op of the waitUntil work (lookups, insert, hash, mails) is probed with a held-back delay.
const PROBE_TIMEOUT_MS = 60_000;
let n = 0;
const PASSWORD = 'a long and quiet meadow';
// A fresh address for each probe: the per-address limit would otherwise answer 429.
const signup = (fields: () => Promise<Record<string, string>>) => async () =>
  formRequest('/signup', { ...(await fields()), password: PASSWORD, name: 'N' }, { 'CF-Connecting-IP': `198.19.${n >> 8}.${n++ & 255}` });
const fresh = async () => ({ username: `fresh-${n}-${Date.now()}`, email: `fresh-${n}-${Date.now()}@example.org` });

describe('storage round trips on the response path: sign-up (bench/lib/budgets.ts)', () => {
  it('POST /signup (SIGNUP=open) makes the same round trips, none in D1, for a new, a taken username and a taken address', async () => {
    // Without DEV_MODE the probe's Worker has no mail transport: the waitUntil sends fail and log, off the path.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const vars = { SIGNUP: 'open' };
    const created = await responsePathOps(signup(fresh), 200, vars);
    const takenName = await responsePathOps(signup(async () => ({ ...(await fresh()), username: (await createUser()).username })), 200, vars);
    const takenEmail = await responsePathOps(signup(async () => ({ ...(await fresh()), email: `${(await createUser()).username}@example.com` })), 200, vars);
    for (const ops of [created, takenName, takenEmail]) expectWithin(ops, ROUND_TRIP_BUDGETS.signupOpen);
    expect(takenName.map((op) => op.kind)).toEqual(created.map((op) => op.kind));
    expect(takenEmail.map((op) => op.kind)).toEqual(created.map((op) => op.kind));
  }, PROBE_TIMEOUT_MS);

  it('POST /signup (SIGNUP=invite) reads only the invite, the same for a new and a taken username', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const vars = { SIGNUP: 'invite' };
    const config = readConfig({ ...env, ...vars });
    const withInvite = (username: () => Promise<string>) => async () => {
      const email = `invited-${n}-${Date.now()}@example.org`;
      const { url } = await mintInvite(env.DB, email, { issuer: config.issuer, branding: config.branding, now: Math.floor(Date.now() / 1000) });
      return { username: await username(), email, invite: new URL(url).searchParams.get('invite')! };
    };
    const created = await responsePathOps(signup(withInvite(async () => `fresh-${n}-${Date.now()}`)), 200, vars);
    const taken = await responsePathOps(signup(withInvite(async () => (await createUser()).username)), 200, vars);
    for (const ops of [created, taken]) expectWithin(ops, ROUND_TRIP_BUDGETS.signupInvite);
    expect(taken.map((op) => op.kind)).toEqual(created.map((op) => op.kind));
  }, PROBE_TIMEOUT_MS);
});
