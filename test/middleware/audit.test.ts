// Audit events of one request are written together, off the response path, in one D1 batch.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index.ts';
import { basic, callWithEnv, createClient, createUser, ISSUER, signIn } from '../helpers/fixtures.ts';
import { replaceMembers } from '../helpers/doubles.ts';

const AUDIT_INSERT = 'INSERT INTO audit_events';

/** The real D1, recording how the audit inserts reach it: on their own (run) or in a batch (their count). */
function watchedD1() {
  const auditStatements = new WeakMap<object, D1PreparedStatement>();
  const writes: ('run' | number)[] = [];
  const db = replaceMembers(env.DB, {
    prepare: (sql: string) => {
      const statement = env.DB.prepare(sql);
      if (!sql.includes(AUDIT_INSERT)) return statement;
      return replaceMembers(statement, {
        bind: (...values: unknown[]) => {
          const bound = statement.bind(...values);
          const proxy = replaceMembers(bound, { run: () => { writes.push('run'); return bound.run(); } });
          auditStatements.set(proxy, bound);
          return proxy;
        },
      });
    },
    batch: (statements: D1PreparedStatement[]) => {
      const audits = statements.filter((s) => auditStatements.has(s)).length;
      if (audits > 0) writes.push(audits);
      return env.DB.batch(statements.map((s) => auditStatements.get(s) ?? s));
    },
  });
  return { db, writes };
}

function tokenRequest(db: D1Database, body: Record<string, string>, authorization: string): Promise<Response> {
  return callWithEnv({ DB: db }, '/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: authorization },
    body: new URLSearchParams(body).toString(),
  });
}

describe('audit events', () => {
  it('writes the events of one /token request as one batch, both rows with its request id', async () => {
    const client = await createClient();
    const user = await createUser();
    const { code } = await signIn(client, user);
    const { db, writes } = watchedD1();
    const res = await tokenRequest(db, { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri }, basic(client.clientId, client.secret!));
    expect(res.status).toBe(200);
    expect(writes).toEqual([2]);
    const requestId = res.headers.get('X-Request-Id');
    const { results } = await env.DB.prepare('SELECT type, user_id, client_id FROM audit_events WHERE request_id = ? ORDER BY id')
      .bind(requestId).all<{ type: string; user_id: string; client_id: string }>();
    expect(results.map((r) => r.type)).toEqual(['code.redeemed', 'token.issued']);
    expect(results.every((r) => r.user_id === user.id && r.client_id === client.clientId)).toBe(true);
  });

  it('writes a lone event with a plain insert, and records the events of a refused request too', async () => {
    const client = await createClient();
    const { db, writes } = watchedD1();
    const res = await tokenRequest(db, { grant_type: 'authorization_code', code: 'nope', redirect_uri: client.redirectUri }, basic(client.clientId, 'wrong'));
    expect(res.status).toBe(401);
    expect(res.headers.get('X-Request-Id')).toMatch(/^[\w-]+$/);
    expect(writes).toEqual(['run']);
    const { results } = await env.DB.prepare('SELECT type, outcome FROM audit_events WHERE request_id = ?')
      .bind(res.headers.get('X-Request-Id')).all<{ type: string; outcome: string }>();
    expect(results).toEqual([{ type: 'client.auth.failure', outcome: 'failure' }]);
  });

  it('keeps the request alive for its events from the first one on, not only once the handler is done', async () => {
    // A client that disconnects cancels the request's work unless a waitUntil is pending. The handler records
    // client.auth.failure, then awaits the failure counter in D1: the event must already be covered there.
    const client = await createClient();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let reached!: () => void;
    const atGate = new Promise<void>((resolve) => { reached = resolve; });
    const counterStatements = new WeakSet<object>();
    const db = replaceMembers(env.DB, {
      prepare: (sql: string) => {
        const statement = env.DB.prepare(sql);
        if (!sql.includes('rate_limits')) return statement;
        return replaceMembers(statement, {
          bind: (...values: unknown[]) => { const bound = statement.bind(...values); counterStatements.add(bound); return bound; },
        });
      },
      batch: async (statements: D1PreparedStatement[]) => {
        if (statements.some((st) => counterStatements.has(st))) { reached(); await gate; }
        return env.DB.batch(statements);
      },
    });
    const ctx = createExecutionContext();
    const registered: Promise<unknown>[] = [];
    const waitUntil = ctx.waitUntil.bind(ctx);
    ctx.waitUntil = (promise: Promise<unknown>) => { registered.push(promise); waitUntil(promise); };
    const answer = worker.fetch(new Request(new URL('/token', ISSUER), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(client.clientId, 'wrong') },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'nope', redirect_uri: client.redirectUri }).toString(),
    }), { ...env, DB: db }, ctx);
    await atGate;
    expect(registered).toHaveLength(1);
    release();
    const res = await answer;
    expect(res.status).toBe(401);
    await waitOnExecutionContext(ctx);
    const { results } = await env.DB.prepare('SELECT type FROM audit_events WHERE request_id = ?').bind(res.headers.get('X-Request-Id')).all<{ type: string }>();
    expect(results.map((r) => r.type)).toEqual(['client.auth.failure']);
  });
});
