// Storage round trips on each endpoint's response path, asserted against bench/lib/budgets.ts: a change that
// adds a D1 primary round trip to sign-in or a second one to /token fails here, not only in the bench report.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ROUND_TRIP_BUDGETS, type RoundTripBudget } from '../../bench/lib/budgets.ts';
import { countingBindings, opKey, RequestRecord, type Op } from '../../bench/worker/counting.ts';
import worker from '../../src/index.ts';
import { loginTx, tokensFor } from '../helpers/flow.ts';
import { authorizeUrl, basic, createClient, createUser, ISSUER, signIn, type TestClient, type TestUser } from '../helpers/fixtures.ts';

// Long enough to stand out from any local storage call, short enough to probe every op of a request.
const PROBE_DELAY_MS = 200;

interface Served {
  rec: RequestRecord;
  responseMs: number;
  status: number;
}

/** One request through the Worker with counting bindings; `delay` holds one op back to see if the response waits. */
async function serve(request: Request, delay: { key: string; nth: number } | null): Promise<Served> {
  const rec = new RequestRecord({ onOp: () => undefined, delay: delay && { ...delay, ms: PROBE_DELAY_MS } });
  const ctx = createExecutionContext();
  // The isolate's clock moves at I/O: the probe's timer moves it by its delay when the response waits for it.
  const started = Date.now();
  const res = await worker.fetch(request, countingBindings({ ...env }, rec), ctx);
  const responseMs = Date.now() - started;
  await res.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return { rec, responseMs, status: res.status };
}

/** The ops the response waited for: each op of a first run is delayed in a fresh, identical request. */
async function responsePathOps(makeRequest: () => Promise<Request>, status: number): Promise<Op[]> {
  const first = await serve(await makeRequest(), null);
  expect(first.status).toBe(status);
  const seen = new Map<string, number>();
  const onPath: Op[] = [];
  for (const op of first.rec.ops) {
    const key = opKey(op);
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    const probe = await serve(await makeRequest(), { key, nth });
    expect(probe.status).toBe(status);
    if (probe.responseMs >= PROBE_DELAY_MS) onPath.push(op);
  }
  return onPath;
}

function expectWithin(ops: Op[], budget: RoundTripBudget): void {
  const primary = ops.filter((o) => o.kind === 'd1_primary_read' || o.kind === 'd1_write');
  const d1 = ops.filter((o) => o.kind.startsWith('d1_'));
  const describe = (list: Op[]) => list.map((o) => `${o.kind} ${o.what}`).join('; ');
  expect(primary.length, `primary round trips on the path: ${describe(primary)}`).toBeLessThanOrEqual(budget.primary);
  expect(d1.length, `D1 round trips on the path: ${describe(d1)}`).toBeLessThanOrEqual(budget.d1);
}

const request = (path: string, init: RequestInit = {}) => new Request(new URL(path, ISSUER), { redirect: 'manual', ...init });

function loginRequest(tx: string, user: TestUser): Request {
  return request('/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER, 'CF-Connecting-IP': '192.0.2.10' },
    body: new URLSearchParams({ tx, username: user.username, password: user.password }).toString(),
  });
}

async function tokenRequest(client: TestClient, user: TestUser): Promise<Request> {
  const { code } = await signIn(client, user);
  return request('/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(client.clientId, client.secret!) },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri }).toString(),
  });
}

describe('storage round trips on the response path (bench/lib/budgets.ts)', () => {
  it('GET /authorize to the login form', async () => {
    const client = await createClient();
    const ops = await responsePathOps(async () => request(authorizeUrl(client)), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.authorize);
  });

  it('POST /login with the right password', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const tx = () => loginTx(client);
    const ops = await responsePathOps(async () => loginRequest(await tx(), user), 303);
    expectWithin(ops, ROUND_TRIP_BUDGETS.login);
  });

  it('POST /token with an authorization code', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const ops = await responsePathOps(() => tokenRequest(client, user), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.token);
  });

  it('GET /userinfo', async () => {
    const [client, user] = await Promise.all([createClient(), createUser()]);
    const { tokens } = await tokensFor(client, user);
    const ops = await responsePathOps(async () => request('/userinfo', { headers: { Authorization: `Bearer ${tokens.access_token}` } }), 200);
    expectWithin(ops, ROUND_TRIP_BUDGETS.userinfo);
  });

  it('discovery and JWKS from memory', async () => {
    expectWithin(await responsePathOps(async () => request('/.well-known/openid-configuration'), 200), ROUND_TRIP_BUDGETS.discovery);
    expectWithin(await responsePathOps(async () => request('/.well-known/jwks.json'), 200), ROUND_TRIP_BUDGETS.jwks);
  });
});
