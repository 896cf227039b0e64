import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { digestToken } from '../../src/crypto/digest.ts';
import { attemptCounter } from '../../src/store/throttle-counter.ts';
import { createClient, createUser } from '../helpers/fixtures.ts';
import { loginTx, postLogin } from '../helpers/flow.ts';

describe('login throttling', () => {
  it('holds the per-account limit exactly under parallel wrong passwords, then refuses even the right one', async () => {
    const client = await createClient();
    const user = await createUser();
    const tx = await loginTx(client);
    const responses = await Promise.all(Array.from({ length: 12 }, () => postLogin(tx, user.username, 'wrong-password')));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    for (const [i, body] of bodies.entries()) {
      expect(body).toContain(statuses[i] === 429 ? 'Too many sign-in attempts' : 'Invalid username or password');
    }
    const right = await postLogin(tx, user.username.toUpperCase(), user.password);
    expect(right.status).toBe(429);
    expect(right.headers.get('Set-Cookie')).toBeNull();
  });

  it('says the same for an account that does not exist', async () => {
    const client = await createClient();
    const tx = await loginTx(client);
    const name = `ghost-${crypto.randomUUID()}`;
    for (let i = 0; i < 5; i++) expect((await postLogin(tx, name, 'x-password')).status).toBe(200);
    const sixth = await postLogin(tx, name, 'x-password');
    expect(sixth.status).toBe(429);
    expect(await sixth.text()).toContain('Too many sign-in attempts');
  });

  it('a successful login resets the account counter', async () => {
    const client = await createClient();
    const user = await createUser();
    const tx = await loginTx(client);
    for (let i = 0; i < 4; i++) expect((await postLogin(tx, user.username, 'nope-nope')).status).toBe(200);
    expect((await postLogin(tx, user.username, user.password)).status).toBe(303);
    // The reset runs in waitUntil: wait until the account's counter shows it.
    const counter = attemptCounter(env.THROTTLE, `login:account:${await digestToken(user.username.toLowerCase())}`);
    let count = -1;
    for (let i = 0; i < 100 && count !== 0; i++) {
      count = await counter.peek(900, Math.floor(Date.now() / 1000));
      if (count !== 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(count).toBe(0);
    for (let i = 0; i < 5; i++) expect((await postLogin(tx, user.username, 'nope-nope')).status).toBe(200);
    expect((await postLogin(tx, user.username, 'nope-nope')).status).toBe(429);
  });

  it('limits one IP across many accounts (password spraying)', async () => {
    const client = await createClient();
    const tx = await loginTx(client);
    const ip = '203.0.113.77';
    for (let i = 0; i < 50; i++) expect((await postLogin(tx, `spray-${i}-${crypto.randomUUID()}`, 'Summer2026!', { 'CF-Connecting-IP': ip })).status).toBe(200);
    expect((await postLogin(tx, `spray-last-${crypto.randomUUID()}`, 'Summer2026!', { 'CF-Connecting-IP': ip })).status).toBe(429);
    // Another IP is unaffected.
    const user = await createUser();
    expect((await postLogin(tx, user.username, user.password, { 'CF-Connecting-IP': '198.51.100.9' })).status).toBe(303);
    // 51 sequential PBKDF2 sign-ins: generous on a loaded 2-core machine.
  }, 60_000);
});
