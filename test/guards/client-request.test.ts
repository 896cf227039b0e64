import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { hashClientSecret } from '../../src/crypto/digest.ts';
import { updateClientSecretHash } from '../../src/store/clients.ts';
import { basic, callWithEnv, createClient, form, type TestClient } from '../helpers/fixtures.ts';
import { expectOAuthError } from '../helpers/flow.ts';

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

  it('a secret rotated moments ago authenticates at once, though this isolate cached the old one', async () => {
    const a = await serviceClient();
    expect((await credentials(a.clientId, a.secret!, X)).status).toBe(200);
    const rotated = `rotated-${a.secret!}`;
    expect(await updateClientSecretHash(env.DB, a.clientId, await hashClientSecret(rotated))).toBe(true);
    expect((await credentials(a.clientId, rotated, X)).status).toBe(200);
    expect(await auditTypes(a.clientId)).not.toContain('client.auth.failure');
  });

  it('unregistered client ids share one counter per address: inventing ids adds no counter rows', async () => {
    const before = await env.DB.prepare('SELECT count(*) AS n FROM rate_limits').first<{ n: number }>();
    let last: Response | null = null;
    for (let i = 0; i < 11; i++) last = await credentials(`no-such-client-${i}-${crypto.randomUUID()}`, 'whatever', '192.0.2.77');
    expect(last!.headers.get('Retry-After')).not.toBeNull();
    const after = await env.DB.prepare('SELECT count(*) AS n FROM rate_limits').first<{ n: number }>();
    expect(after!.n - before!.n).toBe(1);
    const b = await serviceClient();
    expect((await credentials(b.clientId, b.secret!, '192.0.2.77')).status).toBe(200);
  });
});

describe('what a per-IP counter counts', () => {
  it('keys client-secret failures on the exact address and the client: a neighbour in the same /64 is its own pair', async () => {
    const guessed = await createClient({ grantTypes: ['client_credentials'], scopes: ['api:read'], redirectUris: [], audience: 'https://api.example.test' });
    const request = (secret: string, ip: string) => form('/token', { grant_type: 'client_credentials' }, { Authorization: basic(guessed.clientId, secret), 'CF-Connecting-IP': ip });
    for (let i = 0; i < 11; i++) expect((await request(`wrong-${i}`, '2001:db8:99:1::10')).status).toBe(401);
    expect((await request('wrong', '2001:db8:99:1::10')).headers.get('Retry-After')).not.toBeNull();
    expect((await request('wrong', '2001:db8:99:1::11')).headers.get('Retry-After')).toBeNull();
  });
});
