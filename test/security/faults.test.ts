import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src/index.ts';
import { clearClientCache } from '../../src/store/clients.ts';
import { insertAuditEvent } from '../../src/store/audit.ts';
import { authorizeUrl, basic, call, callWithEnv, createClient, createUser, formWithEnv, signIn } from '../helpers/fixtures.ts';
import { loginTx } from '../helpers/flow.ts';
import { replaceMembers } from '../helpers/doubles.ts';

const down = () => Promise.reject(new Error('simulated outage'));

/** A D1 binding whose every query fails, as when the database is unreachable. */
function failingD1(): D1Database {
  const statement: D1PreparedStatement = {
    bind: () => statement, first: down, all: down, run: down, raw: down,
  } as unknown as D1PreparedStatement;
  const db = { prepare: () => statement, batch: down, exec: down, withSession: () => db } as unknown as D1Database;
  return db;
}

function failingKv(): KVNamespace {
  return { get: down, put: down, delete: down, list: down, getWithMetadata: down } as unknown as KVNamespace;
}

afterEach(() => {
  vi.restoreAllMocks();
  clearClientCache();
});

describe('storage failures', () => {
  it('/token with D1 down: 503 temporarily_unavailable, Retry-After, no token', async () => {
    const client = await createClient();
    const { code } = await signIn(client, await createUser());
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    clearClientCache();
    const res = await callWithEnv({ DB: failingD1() }, '/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(client.clientId, client.secret!) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri }).toString(),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('5');
    const body = await res.text();
    expect(JSON.parse(body).error).toBe('temporarily_unavailable');
    expect(body).not.toContain('access_token');
  });

  it('/token with KV down (code payload unreadable): 503 and no token', async () => {
    const client = await createClient();
    const { code } = await signIn(client, await createUser());
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await callWithEnv({ CODES: failingKv() }, '/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(client.clientId, client.secret!) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri }).toString(),
    });
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain('access_token');
  });

  it('/authorize with D1 down: a friendly 503 page, never a redirect', async () => {
    const client = await createClient();
    clearClientCache();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await callWithEnv({ DB: failingD1() }, authorizeUrl(client));
    expect(res.status).toBe(503);
    expect(res.headers.get('Location')).toBeNull();
    expect(res.headers.get('Content-Type')).toContain('text/html');
    expect(await res.text()).toContain('Temporarily unavailable');
  });

  it('login with KV down: no code is issued, the user sees the 503 page', async () => {
    const client = await createClient();
    const user = await createUser();
    const tx = await loginTx(client);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await formWithEnv({ CODES: failingKv() }, '/login', { tx, username: user.username, password: user.password });
    expect(res.status).toBe(503);
    expect(res.headers.get('Location')).toBeNull();
  });

  it('/userinfo with D1 down: 503, never a 200 with stale claims', async () => {
    const client = await createClient();
    const { code } = await signIn(client, await createUser());
    const { access_token } = await (await call('/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(client.clientId, client.secret!) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri }).toString(),
    })).json<{ access_token: string }>();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await callWithEnv({ DB: failingD1() }, '/userinfo', { headers: { Authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(503);
  });

  it('discovery and JWKS keep working with D1 and KV down (served from memory)', async () => {
    const broken = { DB: failingD1(), CODES: failingKv() };
    expect((await callWithEnv(broken, '/.well-known/openid-configuration')).status).toBe(200);
    expect((await callWithEnv(broken, '/.well-known/jwks.json')).status).toBe(200);
  });

  it('an audit write that fails is logged with the whole event, so it is not lost silently', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const client = await createClient();
    const user = await createUser();
    const tx = await loginTx(client);
    // Fail only the audit insert: D1 works for everything else. A batch holding one fails as D1 would, before
    // reaching the real binding (which would log the stand-in statements as malformed).
    const failing = new WeakSet<object>();
    const db = replaceMembers(env.DB, {
      prepare: (sql: string) => {
        if (!sql.includes('INSERT INTO audit_events')) return env.DB.prepare(sql);
        const statement = failingD1().prepare(sql);
        failing.add(statement);
        return statement;
      },
      batch: (statements: D1PreparedStatement[]) => (statements.some((st) => failing.has(st)) ? down() : env.DB.batch(statements)),
    });
    const res = await formWithEnv({ DB: db }, '/login', { tx, username: user.username, password: user.password });
    expect(res.status).toBe(303);
    const logged = errors.mock.calls.map((args) => String(args[0])).filter((line) => line.includes('audit write failed'));
    expect(logged.some((line) => line.includes('"type":"login.success"') && line.includes(user.id))).toBe(true);
  });
});

describe('retention job', () => {
  it('prunes audit events past retention and expired rows, and audits the prune', async () => {
    const old = Math.floor(Date.now() / 1000) - 91 * 86_400;
    await insertAuditEvent(env.DB, { time: old, type: 'test.old', outcome: 'success', userId: null, clientId: null, ip: null, userAgent: null, requestId: null, detail: null });
    await insertAuditEvent(env.DB, { time: old + 2 * 86_400, type: 'test.recent', outcome: 'success', userId: null, clientId: null, ip: null, userAgent: null, requestId: null, detail: null });
    await env.DB.prepare('INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?)').bind('expired-jti', old).run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '23 3 * * *' }), env);
    await waitOnExecutionContext(ctx);
    const types = (await env.DB.prepare("SELECT type FROM audit_events WHERE type LIKE 'test.%' OR type = 'retention.prune'").all<{ type: string }>()).results.map((r) => r.type);
    expect(types).not.toContain('test.old');
    expect(types).toContain('test.recent');
    expect(types).toContain('retention.prune');
    expect(await env.DB.prepare("SELECT 1 FROM revoked_tokens WHERE jti = 'expired-jti'").first()).toBeNull();
  });
});
