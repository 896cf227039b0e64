import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { digestToken } from '../../src/crypto/digest.ts';
import { throttleAddress } from '../../src/middleware/throttle.ts';
import { attemptCounter } from '../../src/store/throttle-counter.ts';
import { basic, callWithEnv, createClient, createUser, form, type TestClient } from '../helpers/fixtures.ts';
import { expectOAuthError, loginTx } from '../helpers/flow.ts';

function login(tx: string, username: string, password: string, ip?: string) {
  return form('/login', { tx, username, password }, ip ? { 'CF-Connecting-IP': ip } : {});
}

describe('login throttling', () => {
  it('holds the per-account limit exactly under parallel wrong passwords, then refuses even the right one', async () => {
    const client = await createClient();
    const user = await createUser();
    const tx = await loginTx(client);
    const responses = await Promise.all(Array.from({ length: 12 }, () => login(tx, user.username, 'wrong-password')));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    for (const [i, body] of bodies.entries()) {
      expect(body).toContain(statuses[i] === 429 ? 'Too many sign-in attempts' : 'Invalid username or password');
    }
    const right = await login(tx, user.username.toUpperCase(), user.password);
    expect(right.status).toBe(429);
    expect(right.headers.get('Set-Cookie')).toBeNull();
  });

  it('says the same for an account that does not exist', async () => {
    const client = await createClient();
    const tx = await loginTx(client);
    const name = `ghost-${crypto.randomUUID()}`;
    for (let i = 0; i < 5; i++) expect((await login(tx, name, 'x-password')).status).toBe(200);
    const sixth = await login(tx, name, 'x-password');
    expect(sixth.status).toBe(429);
    expect(await sixth.text()).toContain('Too many sign-in attempts');
  });

  it('a successful login resets the account counter', async () => {
    const client = await createClient();
    const user = await createUser();
    const tx = await loginTx(client);
    for (let i = 0; i < 4; i++) expect((await login(tx, user.username, 'nope-nope')).status).toBe(200);
    expect((await login(tx, user.username, user.password)).status).toBe(303);
    // The reset runs in waitUntil: wait until the account's counter shows it.
    const counter = attemptCounter(env.THROTTLE, `login:account:${await digestToken(user.username.toLowerCase())}`);
    let count = -1;
    for (let i = 0; i < 100 && count !== 0; i++) {
      count = await counter.peek(900, Math.floor(Date.now() / 1000));
      if (count !== 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(count).toBe(0);
    for (let i = 0; i < 5; i++) expect((await login(tx, user.username, 'nope-nope')).status).toBe(200);
    expect((await login(tx, user.username, 'nope-nope')).status).toBe(429);
  });

  it('limits one IP across many accounts (password spraying)', async () => {
    const client = await createClient();
    const tx = await loginTx(client);
    const ip = '203.0.113.77';
    for (let i = 0; i < 50; i++) expect((await login(tx, `spray-${i}-${crypto.randomUUID()}`, 'Summer2026!', ip)).status).toBe(200);
    expect((await login(tx, `spray-last-${crypto.randomUUID()}`, 'Summer2026!', ip)).status).toBe(429);
    // Another IP is unaffected.
    const user = await createUser();
    expect((await login(tx, user.username, user.password, '198.51.100.9')).status).toBe(303);
    // 51 sequential PBKDF2 sign-ins: generous on a loaded 2-core machine.
  }, 60_000);
});

describe('client secret throttling: a correct secret always authenticates (RFC 6749 §2.3.1)', () => {
  const X = '203.0.113.50';
  const Y = '198.51.100.50';

  function serviceClient(): Promise<TestClient> {
    return createClient({ grantTypes: ['client_credentials'], scopes: ['api:read'], redirectUris: [], audience: 'https://api.example.test' });
  }

  /** A client_credentials request with its waitUntil work (the audit write) awaited. */
  function credentials(clientId: string, secret: string, ip: string): Promise<Response> {
    return callWithEnv({}, '/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(clientId, secret), 'CF-Connecting-IP': ip },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
    });
  }

  async function auditTypes(clientId: string): Promise<string[]> {
    const { results } = await env.DB.prepare("SELECT type FROM audit_events WHERE client_id = ? AND type LIKE 'client.auth.%' ORDER BY id")
      .bind(clientId).all<{ type: string }>();
    return results.map((r) => r.type);
  }

  it('after 50 wrong secrets for A from X: A from X and from Y, and B from X, all succeed', async () => {
    const a = await serviceClient();
    const b = await serviceClient();
    for (let i = 0; i < 50; i++) await expectOAuthError(await credentials(a.clientId, `wrong-${i}`, X), 401, 'invalid_client');
    expect((await credentials(a.clientId, a.secret!, X)).status).toBe(200);
    expect((await credentials(a.clientId, a.secret!, Y)).status).toBe(200);
    expect((await credentials(b.clientId, b.secret!, X)).status).toBe(200);
  }, 60_000);

  it('past the limit, wrong secrets for the pair get Retry-After and are audited once per window', async () => {
    const a = await serviceClient();
    for (let i = 0; i < 10; i++) {
      const res = await credentials(a.clientId, `wrong-${i}`, X);
      await expectOAuthError(res, 401, 'invalid_client');
      expect(res.headers.get('Retry-After')).toBeNull();
    }
    expect(await auditTypes(a.clientId)).toEqual(Array<string>(10).fill('client.auth.failure'));
    for (let i = 0; i < 5; i++) {
      const res = await credentials(a.clientId, `still-wrong-${i}`, X);
      await expectOAuthError(res, 401, 'invalid_client');
      expect(res.headers.get('WWW-Authenticate')).toMatch(/^Basic /);
      const retryAfter = Number(res.headers.get('Retry-After'));
      expect(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 900).toBe(true);
    }
    // The right secret from the throttled pair succeeds and resets nothing; the next wrong one is still throttled.
    expect((await credentials(a.clientId, a.secret!, X)).status).toBe(200);
    expect((await credentials(a.clientId, 'wrong-again', X)).headers.get('Retry-After')).not.toBeNull();
    // Another address is another pair: its own count, no Retry-After.
    expect((await credentials(a.clientId, 'wrong-elsewhere', Y)).headers.get('Retry-After')).toBeNull();
    expect(await auditTypes(a.clientId)).toEqual([...Array<string>(10).fill('client.auth.failure'), 'client.auth.throttled', 'client.auth.failure']);
  }, 60_000);

  it('Retry-After counts down to the end of the window, and a new window starts a new count', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const a = await serviceClient();
      const start = Date.now();
      for (let i = 0; i < 10; i++) await credentials(a.clientId, `wrong-${i}`, X);
      vi.setSystemTime(start + 100_000);
      expect((await credentials(a.clientId, 'wrong-11', X)).headers.get('Retry-After')).toBe('800');
      vi.setSystemTime(start + 900_000);
      expect((await credentials(a.clientId, 'wrong-in-a-new-window', X)).headers.get('Retry-After')).toBeNull();
      expect(await auditTypes(a.clientId)).toEqual([...Array<string>(10).fill('client.auth.failure'), 'client.auth.throttled', 'client.auth.failure']);
    } finally {
      vi.useRealTimers();
    }
  }, 60_000);

  it('requests without credentials, or with only a confidential client\'s id, do not hold back anyone', async () => {
    const b = await serviceClient();
    for (let i = 0; i < 15; i++) {
      await expectOAuthError(await callWithEnv({}, '/introspect', {
        method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': X }, body: 'token=x',
      }), 401, 'invalid_client');
      await expectOAuthError(await callWithEnv({}, '/introspect', {
        method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': X }, body: `token=x&client_id=${b.clientId}`,
      }), 401, 'invalid_client');
    }
    expect((await credentials(b.clientId, b.secret!, X)).status).toBe(200);
    expect((await credentials(b.clientId, 'wrong', X)).headers.get('Retry-After')).not.toBeNull();
  }, 60_000);
});

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
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002::ffff', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['2001:db8:1:2:3:4:192.0.2.1', '2001:db8:1:2::/64'],
    // IPv4 carried in IPv6 counts as the IPv4 address, however it is written.
    ['::ffff:198.51.100.4', '198.51.100.4'],
    ['0:0:0:0:0:ffff:c000:201', '192.0.2.1'],
    ['::ffff:c000:201', '192.0.2.1'],
    ['64:ff9b::192.0.2.1', '192.0.2.1'],
    ['64:ff9b::c000:201', '192.0.2.1'],
  ])('%s counts as %s', (ip, expected) => {
    expect(throttleAddress(ip)).toBe(expected);
  });

  it.each(['2001:db8::1::2', '1:2:3:4:5:6:7:8:9', '2001:db8:1:2:3:4:5', 'fe80::1%eth0x:zz', 'gggg::1', '::ffff:999.1.1.1', '1.2.3.4::1', '2001:db8::1.2.3'])(
    'counts the unparseable %s as itself', (ip) => {
      expect(throttleAddress(ip)).toBe(ip.toLowerCase());
    },
  );

  it('keys client-secret failures on the exact address and the client: a neighbour in the same /64 is its own pair', async () => {
    const guessed = await createClient({ grantTypes: ['client_credentials'], scopes: ['api:read'], redirectUris: [], audience: 'https://api.example.test' });
    const request = (secret: string, ip: string) => form('/token', { grant_type: 'client_credentials' }, { Authorization: basic(guessed.clientId, secret), 'CF-Connecting-IP': ip });
    for (let i = 0; i < 11; i++) expect((await request(`wrong-${i}`, '2001:db8:99:1::10')).status).toBe(401);
    expect((await request('wrong', '2001:db8:99:1::10')).headers.get('Retry-After')).not.toBeNull();
    expect((await request('wrong', '2001:db8:99:1::11')).headers.get('Retry-After')).toBeNull();
  });

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
