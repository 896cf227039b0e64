import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { digestToken } from '../../src/crypto/digest.ts';
import { throttleAddress } from '../../src/middleware/throttle.ts';
import { attemptCounter } from '../../src/store/throttle-counter.ts';
import { basic, call, createClient, createUser, exchange, form, hiddenTx, signIn, authorizeUrl, type TestClient } from '../helpers/fixtures.ts';

async function loginForm(client: TestClient): Promise<string> {
  return hiddenTx(await (await call(authorizeUrl(client))).text());
}

function login(tx: string, username: string, password: string, ip?: string) {
  return form('/login', { tx, username, password }, ip ? { 'CF-Connecting-IP': ip } : {});
}

describe('login throttling', () => {
  it('holds the per-account limit exactly under parallel wrong passwords, then refuses even the right one', async () => {
    const client = await createClient();
    const user = await createUser();
    const tx = await loginForm(client);
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
    const tx = await loginForm(client);
    const name = `ghost-${crypto.randomUUID()}`;
    for (let i = 0; i < 5; i++) expect((await login(tx, name, 'x-password')).status).toBe(200);
    const sixth = await login(tx, name, 'x-password');
    expect(sixth.status).toBe(429);
    expect(await sixth.text()).toContain('Too many sign-in attempts');
  });

  it('a successful login resets the account counter', async () => {
    const client = await createClient();
    const user = await createUser();
    const tx = await loginForm(client);
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
    const tx = await loginForm(client);
    const ip = '203.0.113.77';
    for (let i = 0; i < 50; i++) expect((await login(tx, `spray-${i}-${crypto.randomUUID()}`, 'Summer2026!', ip)).status).toBe(200);
    expect((await login(tx, `spray-last-${crypto.randomUUID()}`, 'Summer2026!', ip)).status).toBe(429);
    // Another IP is unaffected.
    const user = await createUser();
    expect((await login(tx, user.username, user.password, '198.51.100.9')).status).toBe(303);
    // 51 sequential PBKDF2 sign-ins: generous on a loaded 2-core machine.
  }, 60_000);
});

describe('client secret throttling at /token', () => {
  it('refuses even the right secret after too many failures for that client', async () => {
    const client = await createClient();
    const user = await createUser();
    const { code } = await signIn(client, user);
    for (let i = 0; i < 10; i++) {
      const bad = await form('/token', { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri }, { Authorization: basic(client.clientId, `wrong-${i}`) });
      expect(bad.status).toBe(401);
    }
    const res = await exchange(client, code);
    expect(res.status).toBe(401);
    expect((await res.json<{ error_description: string }>()).error_description).toContain('too many failed');
  });
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

  it('keys client-secret failures on the exact address: a neighbour in the same /64 is not blocked', async () => {
    const guessed = await createClient();
    const neighbour = await createClient();
    for (let i = 0; i < 10; i++) {
      const bad = await form('/token', { grant_type: 'authorization_code', code: 'x', redirect_uri: guessed.redirectUri }, {
        Authorization: basic(guessed.clientId, `wrong-${i}`), 'CF-Connecting-IP': '2001:db8:99:1::10',
      });
      expect(bad.status).toBe(401);
    }
    const fromSameAddress = await form('/token', { grant_type: 'authorization_code', code: 'x', redirect_uri: neighbour.redirectUri }, {
      Authorization: basic(neighbour.clientId, neighbour.secret!), 'CF-Connecting-IP': '2001:db8:99:1::10',
    });
    expect((await fromSameAddress.json<{ error_description: string }>()).error_description).toContain('too many failed');
    const fromNeighbour = await form('/token', { grant_type: 'authorization_code', code: 'x', redirect_uri: neighbour.redirectUri }, {
      Authorization: basic(neighbour.clientId, neighbour.secret!), 'CF-Connecting-IP': '2001:db8:99:1::11',
    });
    expect(fromNeighbour.status).toBe(400);
    expect((await fromNeighbour.json<{ error: string }>()).error).toBe('invalid_grant');
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
