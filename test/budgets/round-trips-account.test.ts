// Storage round trips on the response path of a sign-in that triggers a new-device notice (issue 14, flow 6):
// the same budget as any password sign-in, since the device check runs after the response (waitUntil).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ROUND_TRIP_BUDGETS } from '../../bench/lib/budgets.ts';
import { accountLoginTx } from '../helpers/account.ts';
import { createUser } from '../helpers/fixtures.ts';
import { insertSession } from '../../src/store/sessions.ts';
import { expectWithin, formRequest, responsePathOps } from './probe.ts';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('storage round trips on the response path: new-device sign-in (bench/lib/budgets.ts)', () => {
  it('POST /login from a browser the account has not used', async () => {
    const now = Math.floor(Date.now() / 1000);
    let users = 0;
    // Each request is a fresh account with one earlier Firefox session, signing in from Chrome: always a new
    // device, so the check's lookups run every time. No address, so nothing is mailed outside dev mode.
    const newDeviceLogin = async () => {
      const user = await createUser({ email: null });
      users++;
      await insertSession(env.DB, { idHash: `earlier-${user.id}`, userId: user.id, authTime: now, expiresAt: now + 3600 }, now, {
        userAgent: FIREFOX, ip: '192.0.2.30', country: null, city: null,
      });
      return formRequest('/login', { tx: await accountLoginTx(), username: user.username, password: user.password }, {
        'CF-Connecting-IP': '192.0.2.31', 'User-Agent': CHROME,
      });
    };
    const ops = await responsePathOps(newDeviceLogin, 303);
    expectWithin(ops, ROUND_TRIP_BUDGETS.login);
    expect(users).toBeGreaterThan(2);
  });
});
